"""The one error type a label config can raise."""


class LabelConfigError(ValueError):
    """A label config that Label Studio's editor could not render or that we cannot label against.

    `message` is the full sentence shown to the user; `tag`, `attribute` and `line`
    let a UI point at the spot without parsing the sentence.
    """

    def __init__(
        self,
        message: str,
        *,
        tag: str | None = None,
        attribute: str | None = None,
        line: int | None = None,
    ) -> None:
        self.message = message
        self.tag = tag
        self.attribute = attribute
        self.line = line
        super().__init__(str(self))

    def __str__(self) -> str:
        # Compiler-style prefix so the location survives being shown as a plain string.
        return f"line {self.line}: {self.message}" if self.line else self.message

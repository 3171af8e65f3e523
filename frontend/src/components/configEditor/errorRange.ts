/**
 * Where in the text an error of the config check is: its line, from the column the browser's XML parser
 * names ("column 12: ...") or from the first tag a server message names (`<Choices name="c">`, "Choices
 * "c""), to the end of the line. Without a line nothing is marked (the message below the editor says it).
 */
import type { Text } from "@codemirror/state";

export function errorRange(doc: Text, line: number | null, message: string): { from: number; to: number } | null {
  if (!line || line < 1 || line > doc.lines) return null;
  const l = doc.line(line);
  const column = message.match(/column (\d+)/i);
  let from = l.from;
  if (column) from = Math.min(l.to, l.from + Math.max(0, Number(column[1]) - 1));
  else {
    const lead = l.text.length - l.text.trimStart().length;
    from = l.from + lead;
  }
  // An error at the end of a line (an unclosed tag) still gets one character to underline.
  const to = Math.max(l.to, from + 1);
  return { from: Math.min(from, doc.length), to: Math.min(to, doc.length) };
}

/** Seconds a task was on screen, not counting time the tab was hidden. */
export class LeadTimer {
  private shownAt: number | null;
  private total = 0;

  constructor(
    private readonly now: () => number = () => performance.now(),
    visible = typeof document === "undefined" || !document.hidden,
  ) {
    this.shownAt = visible ? now() : null;
  }

  setVisible(visible: boolean): void {
    if (visible && this.shownAt === null) this.shownAt = this.now();
    if (!visible && this.shownAt !== null) {
      this.total += this.now() - this.shownAt;
      this.shownAt = null;
    }
  }

  seconds(): number {
    const running = this.shownAt === null ? 0 : this.now() - this.shownAt;
    return Math.round((this.total + running) / 10) / 100;
  }
}

/**
 * A task that just appeared takes no submit, skip or label input for its first SETTLE_MS.
 *
 * Why time, and why from the first paint: the second click of a double click and a second Ctrl+Enter tapped
 * 30-60 ms after the first arrive after the next task is already on screen (it was prefetched, so it shows
 * within a frame). They were aimed at the task before; nothing else tells them apart from a real press.
 * Nobody can see a new image and decide about it that fast (a bare visual reaction takes ~200 ms, before any
 * recognising), so input in the first 250 ms after the paint is a leftover of the last action, never a
 * decision about this task. The clock starts in a requestAnimationFrame after mount, i.e. at the paint that
 * shows the task (a hidden tab paints nothing, so it starts when the user can see it), and each event is
 * judged by its own timeStamp, so an event that waited in the queue while the page was busy rendering counts
 * from when it was made, not from when it got handled. Held keys are a separate case: `event.repeat` is
 * dropped for good, whenever it comes.
 */
export const SETTLE_MS = 250;

/** Whether an event made at `eventAt` (its timeStamp) may act on a task first painted at `shownAt`. */
export function settled(shownAt: number | null, eventAt: number, ms: number = SETTLE_MS): boolean {
  return shownAt !== null && eventAt - shownAt >= ms;
}

/** "1 task", "2 tasks", "12,000 tasks": a count with its noun agreeing (English, regular plurals). */
export function plural(n: number, word: string, words = `${word}s`): string {
  return `${n.toLocaleString()} ${n === 1 ? word : words}`;
}

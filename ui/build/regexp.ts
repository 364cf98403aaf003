// A file name inside a regular expression: the build plugins find the tags Vite wrote for the
// entry's script and stylesheet by their file names, which hold dots and may hold other
// characters a pattern would read as syntax.

/** `text` with every character a regular expression treats as syntax escaped. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

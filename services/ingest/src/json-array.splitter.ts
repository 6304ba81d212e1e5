/**
 * The source text of each element of a JSON array that JSON.parse accepted.
 * A rejected event goes to the dead-letter topic as the caller sent it, and
 * re-serialising a parsed value would change it (key order, number forms)
 * or overflow the stack on deep nesting; scanning is iterative.
 */
export function jsonArrayElements(text: string): string[] {
  const elements: string[] = [];
  let depth = 0;
  let inString = false;
  let start = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') {
      inString = true;
      if (depth === 1 && start < 0) start = i;
    } else if (c === '[' || c === '{') {
      if (depth === 1 && start < 0) start = i;
      depth++;
    } else if (c === ']' || c === '}') {
      depth--;
      if (depth === 0 && start >= 0) elements.push(text.slice(start, i).trim());
    } else if (c === ',' && depth === 1) {
      elements.push(text.slice(start, i).trim());
      start = -1;
    } else if (depth === 1 && start < 0 && !/\s/.test(c)) {
      start = i;
    }
  }
  return elements;
}

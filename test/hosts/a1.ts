/** A1 column letters for the fakes: the engine's columnLetter one way, its inverse the other (0-based both). */
export { columnLetter as columnLetters } from '../../src/engine/headers';

/** 'A' -> 0, 'AB' -> 27 (case-insensitive). */
export function columnIndex(letters: string): number {
  let col = 0;
  for (const ch of letters.toUpperCase()) col = col * 26 + (ch.charCodeAt(0) - 64);
  return col - 1;
}

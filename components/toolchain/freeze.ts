/**
 * Freezes a JSON-like value and everything in it, in place, and returns it: a value shared between
 * callers (memoised facts, syntax trees, request props) that no reader can change for the next.
 * Depth-bounded (a value deeper than that is left unfrozen below it, never a stack overflow).
 */
export function deepFreeze<T>(value: T, depth = 0): T {
  if (value === null || typeof value !== "object" || Object.isFrozen(value) || depth > 1000) return value;
  Object.freeze(value);
  if (Array.isArray(value)) for (const v of value) deepFreeze(v, depth + 1);
  else for (const k of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[k], depth + 1);
  return value;
}

import type { LocalizedContent } from "./backend/types";

/** The words of the interface come from content.ui; a missing key shows its name,
 *  so a test (or a look at the screen) catches it. */
export function translator(content: LocalizedContent): (key: string) => string {
  return (key) => {
    const v = content.ui[key];
    return typeof v === "string" && v.length > 0 ? v : key;
  };
}

// Accessibility of the real app in landscape (1920×1080): the attract loop, and larger text
// (the tour first): see accessibility.mjs.

import { checkLargerText } from "./accessibility.mjs";

checkLargerText({ name: "landscape", width: 1920, height: 1080 });

// Accessibility of the real app in portrait (1080×1920): the attract loop, and larger text
// (the tour first): see accessibility.mjs.

import { checkLargerText } from "./accessibility.mjs";

checkLargerText({ name: "portrait", width: 1080, height: 1920 });

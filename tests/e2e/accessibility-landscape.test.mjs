// Accessibility of the real app in landscape (1920×1080), normal text: see accessibility.mjs.

import { checkEveryScreen } from "./accessibility.mjs";

checkEveryScreen({ name: "landscape", width: 1920, height: 1080 });

// Accessibility of the real app in portrait (1080×1920), normal text: see accessibility.mjs.

import { checkEveryScreen } from "./accessibility.mjs";

checkEveryScreen({ name: "portrait", width: 1080, height: 1920 });

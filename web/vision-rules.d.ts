// vision-rules.js is written by the server (src/server/routes/workbench.ts): the revision of the image
// rules it follows, so the page's figures are the server's.
import type { VisionRules } from '../src/imaging/rules.js';

export declare const VISION_RULES: VisionRules;

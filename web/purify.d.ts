// purify.js is DOMPurify's ES module build, served by the server from its node_modules (workbench.ts).
import DOMPurify from 'dompurify';

export default DOMPurify;

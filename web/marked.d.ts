// marked.js is marked's ES module build, served by the server from its node_modules (workbench.ts).
export { Marked } from 'marked';

// Every property test is deterministic: fast-check runs from one fixed seed (override with FC_SEED=<n> to
// explore other cases). A failure prints the seed and the counterexample's path, so it replays exactly.
// Loaded by vitest.config.ts as a setup file, for every test file.
import fc from 'fast-check';

export const PROPERTY_SEED = Number(process.env.FC_SEED ?? 20_260_926);

fc.configureGlobal({ seed: PROPERTY_SEED });

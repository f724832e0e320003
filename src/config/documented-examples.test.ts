// Every configuration example in the documentation is a valid configuration: the ```yaml blocks of
// README.md and docs/operations.md are read from the files, so the docs cannot drift from the schema.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from './index.js';

const DOCUMENTS = ['README.md', 'docs/operations.md'];

function yamlBlocks(path: string): string[] {
  const text = readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');
  return [...text.matchAll(/^```yaml\n([\s\S]*?)^```$/gm)].map((match) => match[1] ?? '');
}

describe('documented configuration examples', () => {
  for (const document of DOCUMENTS) {
    it(`${document}: every yaml block is a valid configuration`, () => {
      const blocks = yamlBlocks(document);
      expect(blocks.length).toBeGreaterThan(0);
      for (const [index, block] of blocks.entries()) {
        const problems = (() => {
          try {
            parseConfig(block, {});
            return [];
          } catch (error) {
            if (error instanceof ConfigError) return error.problems;
            throw error;
          }
        })();
        expect(problems, `${document}, yaml block ${index + 1}:\n${block}`).toEqual([]);
      }
    });
  }

  it('the README example routes its models to its backends, camelCase', () => {
    const [example] = yamlBlocks('README.md');
    const config = parseConfig(example ?? '', {});
    expect(config.backends['bedrock-gw']).toMatchObject({
      type: 'anthropic',
      platform: 'bedrock',
      inlineSources: true,
    });
    expect(config.models.map((model) => model.backend)).toEqual(['ollama', 'claude']);
  });
});

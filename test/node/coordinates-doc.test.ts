// docs/coordinates.md promises that its worked examples are what the kit sends: each example is preceded by
// a `<!-- check: {...} -->` comment with its input, and this test converts that input with @esign-kit/core
// and compares the result with the JSON block that follows.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { pageGeometry, resolveProfile, toProviderFields, type PageGeometryInput, type ProfileId } from '@esign-kit/core';

const doc = readFileSync(new URL('../../docs/coordinates.md', import.meta.url), 'utf8');
const examples = [...doc.matchAll(/<!-- check: (\{.*\}) -->\s*```json\n([\s\S]*?)```/g)];

describe('docs/coordinates.md worked examples', () => {
  it('has examples for every profile, rotated and cropped pages', () => {
    assert.ok(examples.length >= 9, `found ${examples.length} examples`);
    const profiles = new Set(examples.map((m) => (JSON.parse(m[1]!) as { profile: string }).profile));
    assert.deepEqual([...profiles].sort(), ['bsre-cloud', 'bsre-v1', 'bsre-v2', 'digisign', 'peruri']);
  });

  for (const [, input, output] of examples) {
    const { profile, page, box } = JSON.parse(input!) as {
      profile: ProfileId;
      page: PageGeometryInput;
      box: { page: number; x: number; y: number; width: number; height: number };
    };
    it(`${profile} on ${JSON.stringify(page)}`, () => {
      assert.deepEqual(toProviderFields(box, [pageGeometry(page)], resolveProfile(profile)), JSON.parse(output!));
    });
  }
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildStateGraph, conditionLabel } from '../../../../src/console/model/state-graph.js';
import { toElkGraph, type ElkNodeIn } from '../../../../src/console/model/elk-graph.js';

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../../..');
const pipeline = JSON.parse(readFileSync(join(root, 'tests/src/definition/__snapshots__/pipeline-definition.json'), 'utf8')) as { States: Record<string, Record<string, unknown>> };

test('the generated pipeline (over 60 states): a node per state, each Choice rule an edge labelled by its condition, Catch edges apart', () => {
  const g = buildStateGraph(pipeline);
  const states = Object.keys(pipeline.States);
  assert.ok(states.length > 60, `${states.length} states`);
  assert.deepEqual(g.nodes.filter((n) => n.type !== 'Start' && n.type !== 'End').map((n) => n.name).sort(), [...states].sort());
  assert.equal(new Set(g.nodes.map((n) => n.id)).size, g.nodes.length, 'node ids are unique');
  assert.ok(g.edges.some((e) => e.from === '◆start' && e.to === 'Init'));
  assert.ok(g.edges.some((e) => e.from === 'Done' && e.to === '◆end'));

  const choice = pipeline.States['CheckPreprocessing']!;
  const rule = (choice['Choices'] as Record<string, unknown>[])[0]!;
  const edge = g.edges.find((e) => e.from === 'CheckPreprocessing' && e.to === rule['Next'])!;
  assert.equal(edge.kind, 'choice');
  assert.equal(edge.label, '$config.preprocessing.run = true');
  assert.equal(edge.label, conditionLabel(rule));
  assert.equal(g.edges.find((e) => e.from === 'CheckPreprocessing' && e.kind === 'default')?.to, 'CheckTraining');

  const catches = Object.values(pipeline.States).reduce((n, s) => n + (Array.isArray(s['Catch']) ? s['Catch'].length : 0), 0);
  assert.equal(g.edges.filter((e) => e.kind === 'catch').length, catches);
  assert.match(g.edges.find((e) => e.from === 'Preprocessing' && e.kind === 'catch')!.label!, /^Catch #States\.ALL/);
  assert.equal(g.nodes.find((n) => n.name === 'Preprocessing')?.retries, true);
  assert.equal(g.nodes.find((n) => n.name === 'Preprocessing')?.detail, 'sagemaker:createProcessingJob.sync');

  // Every edge of the ELK graph names nodes that exist in it.
  const elk = toElkGraph(g);
  const ids = new Set<string>();
  const walk = (n: ElkNodeIn) => (ids.add(n.id), (n.children ?? []).forEach(walk));
  walk(elk);
  for (const e of elk.edges ?? []) assert.ok(ids.has(e.sources[0]!) && ids.has(e.targets[0]!), e.id);
});

test('Parallel and Map are groups holding their branches; names may repeat across scopes', () => {
  const def = {
    StartAt: 'Fan',
    States: {
      Fan: {
        Type: 'Parallel',
        Branches: [
          { StartAt: 'A', States: { A: { Type: 'Pass', Next: 'Same' }, Same: { Type: 'Succeed' } } },
          { StartAt: 'Same', States: { Same: { Type: 'Wait', Seconds: 1, End: true } } },
        ],
        Next: 'Each',
      },
      Each: { Type: 'Map', ItemProcessor: { StartAt: 'Item', States: { Item: { Type: 'Pass', End: true } } }, MaxConcurrency: 4, End: true },
    },
  };
  const g = buildStateGraph(def);
  assert.deepEqual(g.groups.map((x) => [x.id, x.owner, x.label]), [
    ['Fan#branch1', 'Fan', 'Branch 1'],
    ['Fan#branch2', 'Fan', 'Branch 2'],
    ['Each#items', 'Each', 'Iteration'],
  ]);
  const same = g.nodes.filter((n) => n.name === 'Same');
  assert.deepEqual(same.map((n) => [n.id, n.parent]), [['Fan#branch1/Same', 'Fan#branch1'], ['Fan#branch2/Same', 'Fan#branch2']]);
  assert.deepEqual(g.edges.find((e) => e.from === 'Fan#branch1/A'), { id: g.edges.find((e) => e.from === 'Fan#branch1/A')!.id, from: 'Fan#branch1/A', to: 'Fan#branch1/Same', kind: 'next', scope: 'Fan#branch1' });
  assert.equal(g.nodes.find((n) => n.name === 'Each')?.detail, 'Map, at most 4 at once');
  assert.equal(new Set(g.edges.map((e) => e.id)).size, g.edges.length, 'edge ids are unique across scopes');
  const elk = toElkGraph(g);
  const fan = elk.children!.find((c) => c.id === 'Fan')!;
  assert.deepEqual(fan.children!.map((c) => c.id), ['Fan#branch1', 'Fan#branch2']);
  assert.equal(fan.children![0]!.edges!.length, 1);
});

test('JSONPath rules read as short conditions', () => {
  assert.equal(conditionLabel({ Variable: '$.n', NumericGreaterThanEquals: 5, Next: 'x' }), '$.n >= 5');
  assert.equal(conditionLabel({ And: [{ Variable: '$.a', StringEquals: 'x' }, { Not: { Variable: '$.b', IsPresent: true } }] }), '$.a == "x" and not ($.b IsPresent)');
  assert.equal(conditionLabel({ Variable: '$.a', StringEqualsPath: '$.b' }), '$.a == $.b');
});

test('odd or hostile definitions never throw: whatever can be drawn is drawn', () => {
  for (const def of [null, 42, 'x', [], { States: [] }, { StartAt: 'nope', States: { A: null, B: { Type: 'Task', Next: 'missing', Catch: [null, { Next: 'A' }] }, C: { Type: 'Choice', Choices: 'x' } } }, { StartAt: 'P', States: { P: { Type: 'Parallel', Branches: [null, 3, {}] } } }]) {
    const g = buildStateGraph(def);
    for (const e of g.edges) {
      assert.ok(g.nodes.some((n) => n.id === e.from), `edge from ${e.from}`);
      assert.ok(g.nodes.some((n) => n.id === e.to), `edge to ${e.to}`);
    }
  }
  const proto = buildStateGraph(JSON.parse('{"StartAt":"__proto__","States":{"__proto__":{"Type":"Pass","Next":"constructor"},"constructor":{"Type":"Succeed"}}}'));
  assert.deepEqual(proto.nodes.map((n) => n.name).filter(Boolean), ['__proto__', 'constructor']);
  assert.ok(proto.edges.some((e) => e.from === '__proto__' && e.to === 'constructor'));
});

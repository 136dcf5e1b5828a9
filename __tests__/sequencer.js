/**
 * The order in which Jest hands out the test files. Jest's own order (failed first, then the
 * longest by the durations in its cache, and without a cache the largest files first) put CI's
 * longest suites last: CI starts from a clean cache, where ign3/conformance and the robustness
 * property are small files, and they ran alone at the end of the run. Here the longest suites
 * go first, in the order below; the ones that mostly wait (on etcd, or on a script's retry
 * back-off) are spread among the ones that compute, so that the workers' waits overlap with work
 * rather than with each other. A file missing from the list keeps Jest's order after these;
 * a stale list only costs time, never a test.
 */
'use strict';
const path = require('node:path');
const Sequencer = require('@jest/test-sequencer').default;

/** Longest first, by a quiet run on 2 cores; (w): mostly waiting. Paths under __tests__/. */
const FIRST = [
  'ign3/conformance.test.ts',
  'secret-fetch/fetch-unit.test.ts', // (w)
  'property/transpile-robustness.test.ts',
  'systemd/unit-graphs.test.ts',
  'etcd-cluster/member-replacement.test.ts', // (w)
  'command-bins.test.ts',
  'cluster/etcd-cluster-hooks.test.ts',
  'cluster/container-linux-cluster.test.ts',
  'property/transpile-differential.test.ts',
  'etcd-cluster/rejoin-bootstrap.test.ts', // (w)
  'butane/ignition-validate.test.ts',
  'kubernetes/bootstrap-script.test.ts', // (w)
];

const TESTS = path.join(__dirname, path.sep);
const rank = (test) => {
  const index = test.path.startsWith(TESTS) ? FIRST.indexOf(test.path.slice(TESTS.length).split(path.sep).join('/')) : -1;
  return index < 0 ? FIRST.length : index;
};

class LongestFirstSequencer extends Sequencer {
  sort(tests) {
    const jestOrder = super.sort([...tests]);
    const position = new Map(jestOrder.map((test, i) => [test, i]));
    // A file that failed last time still comes first, as in Jest's order.
    const failed = (test) => (this.hasFailed(test) ? 0 : 1);
    return jestOrder.sort((a, b) => failed(a) - failed(b) || rank(a) - rank(b) || position.get(a) - position.get(b));
  }
}

module.exports = LongestFirstSequencer;

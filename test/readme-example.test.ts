// Keeps the README's code example true: it runs the snippet from "Knative Serving models".
import t from 'tap';
import { autoscaler } from '../src/index.js';

t.test('the README decider example gives what the README says', async (t) => {
  const spec = autoscaler.makeDeciderSpec({ annotations: {}, containerConcurrency: 0, reachability: 'Reachable' }, autoscaler.DEFAULT_AUTOSCALER_CONFIG);
  const decider = autoscaler.newDecider(spec, { readyPods: 1, nowMs: 0 });
  t.same(decider.scale({ readyPods: 1, stable: 150, panic: 150 }, 2000), { desiredPodCount: 3, excessBurstCapacity: -261, scaleValid: true });
  t.equal(decider.inPanic, true);
});

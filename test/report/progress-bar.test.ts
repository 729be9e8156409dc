import t from 'tap';
import { ProgressBar } from '../../src/report/progress-bar.js';

function fakeStream(isTTY: boolean, columns?: number) {
  const chunks: string[] = [];
  return { chunks, stream: { isTTY, columns, write: (s: string) => chunks.push(s) } };
}

t.test('on a terminal the bar redraws one line per tick and ends it on done', async (t) => {
  const { chunks, stream } = fakeStream(true);
  let now = 1000;
  const bar = new ProgressBar({ stream, widthChars: 10, nowMs: () => now });
  bar.start(10);
  t.equal(chunks[0], '\r[----------] 0/10 seeds, 0 failing, 0.0s\u001b[K');
  for (let i = 0; i < 5; i += 1) {
    now += 640;
    bar.tick({ failed: i === 2 });
  }
  t.equal(chunks[chunks.length - 1], '\r[#####-----] 5/10 seeds, 1 failing, 3.2s\u001b[K');
  t.equal(bar.line(), '[#####-----] 5/10 seeds, 1 failing, 3.2s');
  t.equal(chunks.length, 6, 'start and five ticks');
  bar.done();
  t.equal(chunks[chunks.length - 1], '\n');
});

t.test('on a narrow terminal the line is cut to fit', async (t) => {
  const { chunks, stream } = fakeStream(true, 20);
  const bar = new ProgressBar({ stream, nowMs: () => 0 });
  bar.start(3);
  t.equal(chunks[0], `\r${'[--------------------] 0/3'.slice(0, 19)}\u001b[K`);
});

t.test('off a terminal the bar prints nothing, or one line per seed when verbose', async (t) => {
  const quiet = fakeStream(false);
  const bar = new ProgressBar({ stream: quiet.stream, nowMs: () => 0 });
  bar.start(2);
  bar.tick({ failed: false });
  bar.tick({ failed: true });
  bar.done();
  t.same(quiet.chunks, []);

  const verbose = fakeStream(false);
  let now = 0;
  const vbar = new ProgressBar({ stream: verbose.stream, verbose: true, nowMs: () => now });
  vbar.start(2);
  now = 1500;
  vbar.tick({ failed: false, seed: 4 });
  now = 2500;
  vbar.tick({ failed: true, seed: 5 });
  vbar.done();
  t.same(verbose.chunks, ['seed 4 pass (1/2 seeds, 0 failing, 1.5s)\n', 'seed 5 FAIL (2/2 seeds, 1 failing, 2.5s)\n']);
});

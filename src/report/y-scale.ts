// A vertical value scale with round ticks (1, 2 or 5 times a power of ten), starting at zero.

export class YScale {
  readonly maxValue: number;
  readonly stepValue: number;

  /**
   * From 0 up to a round value at or above `maxValue`, drawn between `bottomPx` and `topPx`.
   * `integer` keeps ticks whole (pod and request counts).
   */
  constructor(maxValue: number, readonly bottomPx: number, readonly topPx: number, options: { integer?: boolean } = {}) {
    const wanted = Number.isFinite(maxValue) && maxValue > 0 ? maxValue : 1;
    const rough = wanted / 4;
    const power = 10 ** Math.floor(Math.log10(rough));
    let step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= rough) ?? 10 * power;
    if (options.integer) step = Math.max(1, Math.round(step));
    this.stepValue = step;
    this.maxValue = Math.ceil(wanted / step) * step;
  }

  y(value: number): number {
    const clamped = Math.min(this.maxValue, Math.max(0, value));
    return this.bottomPx - (clamped / this.maxValue) * (this.bottomPx - this.topPx);
  }

  ticks(): number[] {
    const ticks: number[] = [];
    // Rounded so that 0.1 + 0.2 prints as 0.3.
    for (let i = 0; i * this.stepValue <= this.maxValue + 1e-9; i += 1) ticks.push(Number((i * this.stepValue).toPrecision(12)));
    return ticks;
  }
}

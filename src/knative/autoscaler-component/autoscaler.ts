// The `autoscaler` deployment of Knative Serving (knative/serving cmd/autoscaler/main.go), run by
// the pod launcher when an autoscaler pod's container starts. One call builds one incarnation:
// - informers on PodAutoscalers, ServerlessServices, Metrics, the revisions' pods, Endpoints (the
//   kube-proxy view the activator probe goes through) and Deployments (the scale targets);
// - the config store (config-autoscaler, config-deployment);
// - the metric collector (1 s scrapes of the queue-proxies) and the multiscaler (2 s decider ticks);
// - the KPA and Metric controllers behind one shared, bucketed leader election;
// - the stat server on <pod IP>:8080 and the stat forwarder that hands stats to the bucket owner.
// Everything — deciders, buckets, panic state, probes in flight — dies with the incarnation. A
// fatal startup error (missing or invalid config, failing to publish the bucket endpoints) exits the
// container with code 1, as logger.Fatalf exits the process.

import type { ComponentContext } from '../../client/component.js';
import { DEPLOYMENTS, ENDPOINTS } from '../../kube/resources.js';
import type { TraceValue } from '../../sim/trace.js';
import { METRICS, PODAUTOSCALERS, SERVERLESSSERVICES } from '../apis/resources.js';
import { LABELS } from '../apis/serving-labels.js';
import { KNATIVE_NAMESPACE, PORTS, type KnativeComponentEnv } from '../serving-system.js';
import { KubeProxyView } from './kube-proxy-view.js';
import { ActivatorProber } from './activator-prober.js';
import { AutoscalingBase } from './autoscaling-base.js';
import { startBucketElector, type BucketElector } from './bucket-elector.js';
import { ConfigStore } from './config-store.js';
import { incarnationClock, type IncarnationClock } from './incarnation-clock.js';
import { isKpaClass, startKpaController } from './kpa-controller.js';
import { KpaScaler } from './kpa-scaler.js';
import { MetricCollector, type StatsScraperFactory } from './metric-collector.js';
import { startMetricController } from './metric-controller.js';
import { MultiScaler } from './multi-scaler.js';
import { PodScraper } from './pod-scraper.js';
import { RevisionPods } from './revision-pods.js';
import { revisionScalerFactory } from './revision-scaler.js';
import { StatForwarder } from './stat-forwarder.js';
import type { StatMessage } from './stat-message.js';
import { simMsOfUnixSeconds, startStatServer, unixSeconds } from './stat-server.js';

/** The container name of the autoscaler Deployment (config/core/deployments/autoscaler.yaml). */
export const AUTOSCALER_CONTAINER = 'autoscaler';

type TraceSink = (kind: string, fields: { [k: string]: TraceValue }) => void;

interface Core {
  ctx: ComponentContext;
  env: KnativeComponentEnv;
  clock: IncarnationClock;
  record: TraceSink;
  fatal: (reason: string) => void;
  pods: RevisionPods;
  collector: MetricCollector;
  multiScaler: MultiScaler;
}

export function setupAutoscaler(ctx: ComponentContext, env: KnativeComponentEnv): void {
  const core = buildCore(ctx, env);
  const paLister = ctx.informer(PODAUTOSCALERS);
  const sksLister = ctx.informer(SERVERLESSSERVICES);
  const metricLister = ctx.informer(METRICS);
  const endpoints = ctx.informer(ENDPOINTS);
  ctx.informer(DEPLOYMENTS);
  // Built below; the callbacks that need them only fire once informers have listed.
  const late: { kpa?: ReturnType<typeof startKpaController>; metric?: ReturnType<typeof startMetricController> } = {};
  const configs = new ConfigStore(ctx, { namespace: KNATIVE_NAMESPACE, onChange: () => late.kpa?.globalResync(), onFatal: core.fatal });
  const promoteKpa = (): void => {
    for (const pa of paLister.list()) if (isKpaClass(pa)) late.kpa?.controller.enqueue(`${pa.metadata.namespace}/${pa.metadata.name}`);
  };
  const promoteMetric = (): void => {
    for (const metric of metricLister.list()) late.metric?.enqueue(`${metric.metadata.namespace}/${metric.metadata.name}`);
  };
  const electors = startElectors(ctx, env, core, { promoteKpa, promoteMetric });
  const prober = new ActivatorProber({
    http: env.system.http, fromIp: env.pod.ip, choices: ctx.sim.choices('autoscaler/probe-endpoint'), clock: core.clock,
    endpoints: new KubeProxyView({ endpoints, choices: ctx.sim.choices('autoscaler/kube-proxy-sync'), nowMs: () => ctx.sim.nowMs }),
    enqueueAfter: (key, delayMs) => late.kpa?.controller.enqueueAfter(key, delayMs), record: core.record,
  });
  const scaler = new KpaScaler(ctx, { prober, profile: env.profile, enqueueAfter: (key, delayMs) => late.kpa?.controller.enqueueAfter(key, delayMs), record: core.record });
  const base = new AutoscalingBase(ctx, { sksLister, metricLister });
  late.kpa = startKpaController(ctx, {
    deps: { configs, sksLister, deciders: core.multiScaler, scaler, base, pods: core.pods, profile: env.profile, nowMs: () => ctx.sim.nowMs, record: core.record },
    paLister, metricLister, shouldReconcile: electors.kpaLeads,
  });
  late.metric = startMetricController(ctx, { collector: core.collector, metricLister, shouldReconcile: electors.metricLeads });
  startStats(core, electors.bucket);
}

interface Electors {
  /** The bucket whose Lease decides leadership; null without leader election (before pr-9682). */
  bucket: string | null;
  kpaLeads: () => boolean;
  metricLeads: () => boolean;
}

/**
 * Since pr-13585 (knative/serving b989439cb2, cmd/autoscaler/leaderelection.go setupSharedElector)
 * one elector promotes both reconcilers. Before it, controller.StartAll built an elector per
 * controller from the same config: two electors with the same identity renewing the same bucket
 * Lease (#13447), each promoting and demoting only its own controller.
 */
function startElectors(ctx: ComponentContext, env: KnativeComponentEnv, core: Core, promote: { promoteKpa: () => void; promoteMetric: () => void }): Electors {
  if (!env.profile.has('pr-9682')) {
    // Before pr-9682 (knative/serving a70039ab12, "Enable leader election for autoscaler", v0.19)
    // cmd/autoscaler/main.go put no elector builder in the context, so controller.StartAll ran
    // each controller with knative/pkg's unopposed elector: always the leader, no Lease (one
    // replica was the only supported setup).
    return { bucket: null, kpaLeads: () => true, metricLeads: () => true };
  }
  const onDemote = (): void => core.record('autoscaler/demoted', {});
  const elect = (onPromote: () => void): BucketElector => startBucketElector(ctx, { namespace: KNATIVE_NAMESPACE, pod: env.pod, onPromote, onDemote, optimisticRenew: env.profile.has('pr-15462') });
  if (env.profile.has('pr-13585')) {
    const shared = elect(() => {
      promote.promoteKpa();
      promote.promoteMetric();
    });
    return { bucket: shared.bucket, kpaLeads: () => shared.isLeader(), metricLeads: () => shared.isLeader() };
  }
  const kpa = elect(promote.promoteKpa);
  const metric = elect(promote.promoteMetric);
  return { bucket: kpa.bucket, kpaLeads: () => kpa.isLeader(), metricLeads: () => metric.isLeader() };
}

/** The collector, the multiscaler and what they read, with the trace and fatal-exit helpers. */
function buildCore(ctx: ComponentContext, env: KnativeComponentEnv): Core {
  const clock = incarnationClock(ctx);
  const record: TraceSink = (kind, fields) => ctx.sim.record(kind, { as: ctx.component.name, ...fields });
  const fatal = (reason: string): void => {
    record('autoscaler/fatal', { reason });
    ctx.schedule(0, () => {
      if (!env.system.runtime.exitContainer(env.pod.uid, AUTOSCALER_CONTAINER, { exitCode: 1, reason: 'Error' })) ctx.component.crash();
    }, 'autoscaler fatal');
  };
  const pods = new RevisionPods(ctx);
  const collector = new MetricCollector({ clock, record, scraperFactory: scraperFactory(ctx, env, pods) });
  const multiScaler = new MultiScaler({
    clock, record, profile: env.profile,
    factory: revisionScalerFactory({ pods, metrics: collector, profile: env.profile, nowMs: () => ctx.sim.nowMs }),
  });
  return { ctx, env, clock, record, fatal, pods, collector, multiScaler };
}

/** statsScraperFactoryFunc: no scraper without a scrape target; the revision label is required. */
function scraperFactory(ctx: ComponentContext, env: KnativeComponentEnv, pods: RevisionPods): StatsScraperFactory {
  const shuffle = ctx.sim.choices('autoscaler/scrape-shuffle');
  return (metric) => {
    if (!metric.spec?.scrapeTarget) return null;
    const revision = metric.metadata.labels?.[LABELS.revision];
    if (!revision) throw new Error(`label ${JSON.stringify(LABELS.revision)} not found or empty in Metric ${metric.metadata.name}`);
    return new PodScraper({
      http: env.system.http, fromIp: env.pod.ip, pods, namespace: metric.metadata.namespace ?? '', revision,
      choose: (n) => shuffle.int(n), nowMs: () => ctx.sim.nowMs,
    });
  };
}

/** The stat server, the forwarder, and accept: record into the collection, then poke the multiscaler. */
function startStats(core: Core, bucket: string | null): void {
  const { ctx, env, record } = core;
  const accept = (message: StatMessage): void => {
    const stamped = message.stat.timestamp || unixSeconds(ctx.sim.nowMs);
    core.collector.record(message.key, simMsOfUnixSeconds(stamped), message.stat);
    core.multiScaler.poke(message.key, message.stat);
    record('autoscaler/stat', { key: message.key, at: stamped, concurrency: message.stat.averageConcurrentRequests, requests: message.stat.requestCount });
  };
  // Without leader election (before pr-9682, v0.19) there are no buckets to forward to: the stat
  // server hands every stat to this process (v0.18 cmd/autoscaler/main.go statsCh loop).
  const forwarder = bucket === null ? undefined : new StatForwarder(ctx, {
    http: env.system.http, clock: core.clock, namespace: KNATIVE_NAMESPACE, bucket, selfIp: env.pod.ip, accept, onFatal: core.fatal, record,
  });
  const stop = startStatServer({
    http: env.system.http, ip: env.pod.ip, port: PORTS.autoscalerStats, nowMs: () => ctx.sim.nowMs,
    process: (m) => (forwarder === undefined ? accept(m) : forwarder.process(m)), record,
  });
  ctx.onStop(stop);
}

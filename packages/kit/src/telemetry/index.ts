// OpenTelemetry for every Portico process: traces (OTLP when an endpoint is configured), a
// Prometheus metrics endpoint, and propagation of the W3C trace context through gRPC metadata,
// HTTP headers and Kafka headers. Start it before any instrumented module is imported: the
// `register` entry point, loaded with `node --import`, does exactly that.
import { context, metrics, propagation, ROOT_CONTEXT, trace, type Context, type Span, SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { getNodeAutoInstrumentations } from '@opentelemetry/auto-instrumentations-node';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { NodeSDK } from '@opentelemetry/sdk-node';

let sdk: NodeSDK | undefined;

type SpanProcessor = NonNullable<NonNullable<ConstructorParameters<typeof NodeSDK>[0]>['spanProcessors']>[number];
/** A span processor that keeps nothing: ended spans become garbage at once. */
const droppingSpans: SpanProcessor = {
  onStart: () => {},
  onEnd: () => {},
  forceFlush: async () => {},
  shutdown: async () => {},
};

export interface TelemetryOptions {
  serviceName: string;
  /** Port of the Prometheus /metrics endpoint; 0 disables it. */
  metricsPort: number;
  metricsHost?: string;
}

export function startTelemetry(options: TelemetryOptions): void {
  if (sdk) return;
  const prometheus =
    options.metricsPort > 0 ? new PrometheusExporter({ host: options.metricsHost ?? '127.0.0.1', port: options.metricsPort }) : undefined;
  const exportingTraces = Boolean(process.env.OTEL_EXPORTER_OTLP_ENDPOINT);
  sdk = new NodeSDK({
    serviceName: options.serviceName,
    // Traces go to OTLP only when OTEL_EXPORTER_OTLP_ENDPOINT is set (read by the SDK itself).
    // Without it spans are still made (their trace ids reach logs and the next hop) but dropped
    // as they end: batched for an exporter that sends nowhere, they lived seconds, and copying
    // them through the young generation made the gateway's collector pauses several times longer.
    ...(exportingTraces ? {} : { spanProcessors: [droppingSpans] }),
    // Logs are pino's JSON lines on stdout (DESIGN.md), not OTLP log records: without this the SDK
    // would build an OTLP log exporter to a collector that is not there.
    logRecordProcessors: [],
    ...(prometheus ? { metricReaders: [prometheus] } : {}),
    instrumentations: [
      getNodeAutoInstrumentations({
        // Only what Portico uses; Kafka context is propagated by the kit's eventing itself,
        // because the outbox must carry the context of the request that caused the event.
        '@opentelemetry/instrumentation-fs': { enabled: false },
        '@opentelemetry/instrumentation-dns': { enabled: false },
        '@opentelemetry/instrumentation-net': { enabled: false },
        '@opentelemetry/instrumentation-kafkajs': { enabled: false },
        // The kit's logger puts the trace and span ids on every line itself; this one would add
        // them a second time and turn every line into an OTLP log record as well.
        '@opentelemetry/instrumentation-pino': { enabled: false },
      }),
    ],
  });
  sdk.start();
}

export async function stopTelemetry(): Promise<void> {
  await sdk?.shutdown();
  sdk = undefined;
}

/**
 * Sends what telemetry is still buffered (the spans of the last calls) and stops it, for a
 * process's last shutdown step; bounded, so a collector that is down cannot outlast the grace.
 */
export function flushTelemetryAtShutdown(limitMs = 1_500): Promise<void> {
  return Promise.race([stopTelemetry(), new Promise<void>((resolve) => setTimeout(resolve, limitMs).unref())]);
}

/** The active trace context as W3C headers (traceparent, tracestate). */
export function currentTraceHeaders(ctx: Context = context.active()): Record<string, string> {
  const carrier: Record<string, string> = {};
  propagation.inject(ctx, carrier);
  return carrier;
}

/** Runs `work` in a span whose parent is the context carried by `headers` (e.g. a Kafka message). */
export async function withSpanFromHeaders<T>(
  tracerName: string,
  spanName: string,
  headers: Record<string, string | undefined>,
  kind: SpanKind,
  work: (span: Span) => Promise<T>,
): Promise<T> {
  const parent = propagation.extract(ROOT_CONTEXT, headers);
  return trace.getTracer(tracerName).startActiveSpan(spanName, { kind }, parent, async (span) => {
    try {
      return await work(span);
    } catch (error) {
      span.recordException(error as Error);
      span.setStatus({ code: SpanStatusCode.ERROR });
      throw error;
    } finally {
      span.end();
    }
  });
}

export const meter = (name: string) => metrics.getMeter(name);
export { SpanKind, context, trace, propagation };

// One place that builds kafkajs clients, so every process logs Kafka's own chatter through pino
// at warn level and above (kafkajs is loud while a broker is down), and its idle connections
// sleep (request-queue.ts).
import { Kafka, logLevel, type KafkaConfig, type logCreator } from 'kafkajs';
import './request-queue.js';
import type { Logger } from 'pino';

function pinoLogCreator(logger: Logger): logCreator {
  return () =>
    ({ level, log }) => {
      const { message, ...extra } = log;
      const child = { component: 'kafkajs', namespace: extra.namespace, broker: extra.broker, error: extra.error };
      if (level === logLevel.ERROR) logger.error(child, message);
      else if (level === logLevel.WARN) logger.warn(child, message);
    };
}

export function createKafka(options: { clientId: string; brokers: string[]; logger: Logger } & Partial<KafkaConfig>): Kafka {
  const { logger, ...config } = options;
  return new Kafka({
    connectionTimeout: 3_000,
    requestTimeout: 10_000,
    retry: { retries: 5, initialRetryTime: 200, maxRetryTime: 5_000 },
    logLevel: logLevel.WARN,
    logCreator: pinoLogCreator(logger),
    ...config,
  });
}

export function deadLetterTopic(topic: string): string {
  return `${topic}.dlq`;
}

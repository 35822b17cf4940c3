import { parse } from 'yaml';
import { SPLIT_APPS } from '../../../scripts/split-stack/split-stack.js';
import { readRepoFile } from './support/repository.js';

// How docker/compose.yml wires the read replica, traces and log shipping. No engine runs here
// (docs/adr/0006): `docker-compose config` validates the file (compose-stack.int-spec.ts), and
// this file checks that each piece points at the next, by name, port and credential.

interface Service {
  profiles?: string[];
  image?: string;
  command?: string[];
  entrypoint?: string[];
  user?: string;
  environment?: Record<string, string>;
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
}

const compose = parse(readRepoFile('docker/compose.yml'), { merge: true }) as {
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
};
const service = (name: string): Service => {
  const found = compose.services[name];
  if (!found) throw new Error(`compose.yml has no service ${name}`);
  return found;
};
/** The repository file mounted at `target` in `name`'s container. */
const mountedAt = (name: string, target: string): string => {
  const volume = (service(name).volumes ?? []).find((entry) => entry.split(':')[1] === target);
  if (!volume) throw new Error(`${name} mounts nothing at ${target}`);
  return `docker/${volume.split(':')[0].replace(/^\.\//, '')}`;
};
/** `-c name=value` settings of a postgres command line. */
const settings = (command: string[] = []): Record<string, string> =>
  Object.fromEntries(
    command
      .filter((_, index) => command[index - 1] === '-c')
      .map((setting) => setting.split('=') as [string, string]),
  );

describe('docker/compose.yml: the streaming read replica', () => {
  const primary = service('postgres');
  const replica = service('postgres-replica');
  const initScript = readRepoFile(
    mountedAt('postgres', '/docker-entrypoint-initdb.d/10-replication.sh'),
  );
  const startScript = readRepoFile(
    mountedAt('postgres-replica', '/usr/local/bin/replica-start.sh'),
  );

  it('runs the primary with WAL for replication and room for senders and slots', () => {
    expect(primary.command?.[0]).toBe('postgres');
    expect(settings(primary.command)).toMatchObject({ wal_level: 'replica', hot_standby: 'on' });
    expect(Number(settings(primary.command).max_wal_senders)).toBeGreaterThan(0);
    expect(Number(settings(primary.command).max_replication_slots)).toBeGreaterThan(0);
  });

  it('creates, on first start, the replication role, its slot and its pg_hba line', () => {
    expect(initScript).toMatch(/CREATE ROLE :"role" WITH REPLICATION LOGIN PASSWORD :'password'/);
    expect(initScript).toContain("pg_create_physical_replication_slot(:'slot')");
    expect(initScript).toContain(
      'host replication $POSTGRES_REPLICATION_USER all scram-sha-256" >> "$PGDATA/pg_hba.conf"',
    );
    expect(initScript).toMatch(/^set -eu$/m);
  });

  it('clones the primary once with pg_basebackup, through the same role, password and slot', () => {
    const environment = replica.environment ?? {};
    expect(environment.PRIMARY_HOST).toBe('postgres');
    expect(environment.POSTGRES_REPLICATION_USER).toBe(
      primary.environment?.POSTGRES_REPLICATION_USER,
    );
    expect(environment.PGPASSWORD).toBe(primary.environment?.POSTGRES_REPLICATION_PASSWORD);
    expect(environment.POSTGRES_REPLICATION_SLOT).toBe(
      primary.environment?.POSTGRES_REPLICATION_SLOT,
    );
    expect(replica.entrypoint).toEqual(['/bin/sh', '/usr/local/bin/replica-start.sh']);
    expect(startScript).toMatch(/if \[ ! -s "\$PGDATA\/PG_VERSION" \]/);
    for (const option of [
      '--host="$PRIMARY_HOST"',
      '--wal-method=stream',
      '--write-recovery-conf',
      '--slot="$POSTGRES_REPLICATION_SLOT"',
    ]) {
      expect(startScript).toContain(option);
    }
    expect(startScript).toMatch(/^exec postgres -c hot_standby=on$/m);
  });

  it('starts after a healthy primary, as the postgres user, on a volume of its own', () => {
    expect(replica.image).toBe(primary.image);
    expect(replica.user).toBe('postgres');
    expect(replica.depends_on).toEqual({ postgres: { condition: 'service_healthy' } });
    expect(replica.volumes?.[0]).toBe('postgres-replica-data:/var/lib/postgresql/data');
    expect(compose.volumes).toHaveProperty('postgres-replica-data');
    expect(replica.healthcheck?.test.slice(0, 2)).toEqual(['CMD', 'pg_isready']);
  });
});

describe('docker/compose.yml: traces', () => {
  const collector = parse(
    readRepoFile(mountedAt('otel-collector', '/etc/otelcol/config.yaml')),
  ) as {
    receivers: { otlp: { protocols: { http: { endpoint: string } } } };
    exporters: Record<string, { endpoint: string }>;
    service: { pipelines: { traces: { receivers: string[]; exporters: string[] } } };
  };

  it('has every app export OTLP/HTTP to the collector, which receives it on that port', () => {
    for (const app of ['monolith', ...SPLIT_APPS]) {
      expect({ app, endpoint: service(app).environment?.OTEL_EXPORTER_OTLP_ENDPOINT }).toEqual({
        app,
        endpoint: 'http://otel-collector:4318',
      });
    }
    expect(collector.receivers.otlp.protocols.http.endpoint).toBe('0.0.0.0:4318');
    expect(collector.service.pipelines.traces.receivers).toEqual(['otlp']);
  });

  it('forwards the traces to Jaeger over OTLP/gRPC, which Jaeger accepts', () => {
    const [exporter] = collector.service.pipelines.traces.exporters;
    expect(collector.exporters[exporter].endpoint).toBe('jaeger:4317');
    expect(service('jaeger').environment?.COLLECTOR_OTLP_ENABLED).toBe('true');
    expect(service('otel-collector').depends_on).toEqual({
      jaeger: { condition: 'service_started' },
    });
  });
});

describe('docker/compose.yml: log shipping', () => {
  const vector = parse(readRepoFile(mountedAt('vector', '/etc/vector/vector.yaml'))) as {
    sources: Record<string, { type: string }>;
    transforms: Record<string, { type: string; inputs: string[]; source: string }>;
    sinks: Record<
      string,
      { type: string; inputs: string[]; endpoint: string; labels: Record<string, string> }
    >;
  };

  it("reads every container's output from the Docker socket, read-only", () => {
    expect(Object.values(vector.sources).map((source) => source.type)).toEqual(['docker_logs']);
    expect(service('vector').volumes).toContain('/var/run/docker.sock:/var/run/docker.sock:ro');
  });

  it('parses the JSON lines into fields, so requestId is a field of each line in Loki', () => {
    const [name, transform] = Object.entries(vector.transforms)[0];
    expect(transform.inputs).toEqual(Object.keys(vector.sources));
    expect(transform.source).toContain('parse_json(.message)');
    expect(transform.source).toContain('merge(., object!(structured))');
    const [sink] = Object.values(vector.sinks);
    expect(sink).toMatchObject({ type: 'loki', inputs: [name], endpoint: 'http://loki:3100' });
    // The apps log the request id under that name (libs/observability's request logging).
    expect(readRepoFile('libs/observability/src/request-id.ts')).toContain('requestId');
    // Labels are bounded: a request id as a label would open a stream per request.
    expect(Object.keys(sink.labels).sort()).toEqual(['compose_service', 'level']);
    expect(JSON.stringify(sink.labels)).not.toMatch(/request/i);
  });

  it('starts once Loki is ready', () => {
    expect(service('vector').depends_on).toEqual({ loki: { condition: 'service_healthy' } });
    expect(service('loki').healthcheck?.test).toContain('http://127.0.0.1:3100/ready');
  });
});

describe('docker/grafana: provisioned data sources', () => {
  const datasources = ['prometheus.yml', 'logs-and-traces.yml'].flatMap(
    (file) =>
      (
        parse(readRepoFile(`docker/grafana/provisioning/datasources/${file}`)) as {
          datasources: { uid: string; type: string; url: string }[];
        }
      ).datasources,
  );

  it('reaches Prometheus, Loki and Jaeger by their compose names and ports', () => {
    expect(datasources.map(({ uid, type, url }) => ({ uid, type, url }))).toEqual([
      { uid: 'prometheus', type: 'prometheus', url: 'http://prometheus:9090' },
      { uid: 'loki', type: 'loki', url: 'http://loki:3100' },
      { uid: 'jaeger', type: 'jaeger', url: 'http://jaeger:16686' },
    ]);
  });
});

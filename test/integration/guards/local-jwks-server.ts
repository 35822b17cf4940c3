import { createServer, type Server, type ServerResponse } from 'node:http';
import { once } from 'node:events';
import { createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { SignJWT } from 'jose';
import { rsaKeyId } from '../../../libs/config/src/jwt-keys.js';

/** An RSA key as identity has one: the private half signs, the public half is published. */
export interface SigningKey {
  readonly kid: string;
  readonly privateKey: KeyObject;
  readonly jwk: Record<string, unknown>;
}

export function signingKey(): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = rsaKeyId(publicKey.export({ type: 'spki', format: 'pem' }).toString());
  const jwk = {
    ...createPublicKey(privateKey).export({ format: 'jwk' }),
    alg: 'RS256',
    use: 'sig',
    kid,
  };
  return { kid, privateKey, jwk };
}

export interface TokenClaims {
  issuer: string;
  audience: string;
  roles?: string[];
}

/** An access token as identity signs it; `kid` overrides the header, to forge one. */
export function accessToken(
  key: SigningKey,
  { issuer, audience, roles = ['customer'] }: TokenClaims,
  kid: string | undefined = key.kid,
): Promise<string> {
  return new SignJWT({ roles })
    .setProtectedHeader(kid === undefined ? { alg: 'RS256' } : { alg: 'RS256', kid })
    .setSubject('user-1')
    .setJti(`token-${Math.random().toString(36).slice(2)}`)
    .setIssuer(issuer)
    .setAudience(audience)
    .setIssuedAt()
    .setExpirationTime('5m')
    .sign(key.privateKey);
}

type Behaviour = 'serve' | 'forward' | 'fail' | 'hang';

/**
 * A stand-in for identity's /.well-known/jwks.json on 127.0.0.1: publishes the keys it is given,
 * forwards to a real identity app (as the gateway would), fails or hangs, on demand.
 */
export class LocalJwksServer {
  private keys: SigningKey[] = [];
  private upstreamUrl?: string;
  private behaviour: Behaviour = 'serve';
  /** How many times the key set was asked for. */
  requests = 0;

  private readonly server: Server = createServer((request, response) =>
    this.answer(request.url, response),
  );

  static async start(): Promise<LocalJwksServer> {
    const jwksServer = new LocalJwksServer();
    jwksServer.server.listen(0, '127.0.0.1');
    await once(jwksServer.server, 'listening');
    return jwksServer;
  }

  get url(): string {
    const address = this.server.address();
    if (address === null || typeof address === 'string') throw new Error('not listening');
    return `http://127.0.0.1:${address.port}/.well-known/jwks.json`;
  }

  publish(...keys: SigningKey[]): void {
    this.keys = keys;
    this.behaviour = 'serve';
  }

  /** Answers with whatever the JWKS at `upstreamUrl` answers; 502 when it cannot be reached. */
  forwardTo(upstreamUrl: string): void {
    this.upstreamUrl = upstreamUrl;
    this.behaviour = 'forward';
  }

  misbehave(behaviour: 'fail' | 'hang'): void {
    this.behaviour = behaviour;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((done) => this.server.close(() => done()));
  }

  private answer(path: string | undefined, response: ServerResponse): void {
    if (path !== '/.well-known/jwks.json') {
      response.writeHead(404).end();
      return;
    }
    this.requests += 1;
    if (this.behaviour === 'hang') return; // never answers: the client's timeout must end it
    if (this.behaviour === 'forward') {
      void this.forward(response);
      return;
    }
    if (this.behaviour === 'fail') {
      response.writeHead(500, { 'content-type': 'text/plain' }).end('identity is unwell');
      return;
    }
    response
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ keys: this.keys.map((key) => key.jwk) }));
  }

  private async forward(response: ServerResponse): Promise<void> {
    try {
      const answer = await fetch(this.upstreamUrl ?? '');
      const body = await answer.text();
      response.writeHead(answer.status, { 'content-type': 'application/json' }).end(body);
    } catch {
      response.writeHead(502).end();
    }
  }
}

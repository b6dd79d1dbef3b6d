/**
 * Why a TCP target did not connect. grpc-js reports only that the channel failed, which reads
 * as "no daemon there" whether nothing listens, the daemon wants TLS and the client spoke
 * plaintext, or one side refused the other's certificate. One probe connection with the
 * client's own TLS material, bounded by the same deadline, tells these apart, so the error
 * says what to change.
 */
import { connect as tcpConnect, isIP, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { status as GrpcStatus } from '@grpc/grpc-js';
import { ApiError, DAEMON_UNAVAILABLE, daemonUnavailable } from './client-error.js';
import { hostOf } from './targets.js';
import type { ClientTls } from './tls.js';

/** What the probe saw. */
type Outcome =
  | { readonly kind: 'refused'; readonly err: Error } // nothing accepts connections there
  | { readonly kind: 'failed'; readonly err: Error } // a connection or handshake error
  | { readonly kind: 'rejected'; readonly err?: Error } // TLS handshake done, then the daemon cut us off (with an alert, or not)
  | { readonly kind: 'open' }; // connected (and handshaken): for plaintext at once, for TLS still open at the deadline

/** The error for a TCP `target` (HOST:PORT) whose channel failed, after one probe. */
export async function explainConnectFailure(target: string, tls: ClientTls | undefined, deadline: number): Promise<ApiError> {
  const outcome = await probe(target, tls, deadline);
  if (outcome.kind === 'refused') return daemonUnavailable(target, outcome.err);
  const fail = (message: string, cause?: Error) => new ApiError(DAEMON_UNAVAILABLE, GrpcStatus.UNAVAILABLE, `the daemon at ${target} ${message}`, { cause });
  if (!tls) {
    return fail(
      'did not answer plaintext gRPC: it may require TLS; pass --tls-ca, --tls-cert and --tls-key (or DERIVA_TLS_CA, DERIVA_TLS_CERT, DERIVA_TLS_KEY)',
      outcome.kind === 'open' ? undefined : outcome.err,
    );
  }
  if (outcome.kind === 'rejected') {
    const alert = outcome.err ? ` (${reason(outcome.err)})` : '';
    return fail(
      tls.cert
        ? `refused this client's certificate${alert}: it must be signed by the CA the daemon trusts (its --tls-client-ca) and be valid now`
        : `requires a client certificate${alert}: pass --tls-cert and --tls-key`,
      outcome.err,
    );
  }
  if (outcome.kind === 'failed' && 'code' in outcome.err && isCertificateCode(String(outcome.err.code))) {
    return fail(`presented a certificate this client does not trust (${outcome.err.message}): --tls-ca must be the CA that signed it, and it must name ${hostOf(target)}`, outcome.err);
  }
  if (outcome.kind === 'open') return fail('accepted a TLS connection but did not answer gRPC in time; is it stuck?');
  return fail(`did not complete a TLS handshake (${reason(outcome.err)}): it may serve plaintext on this address`, outcome.err);
}

function probe(target: string, tls: ClientTls | undefined, deadline: number): Promise<Outcome> {
  const host = hostOf(target);
  const port = Number(target.slice(target.lastIndexOf(':') + 1));
  return new Promise<Outcome>((resolve) => {
    let handshaken = false;
    const socket: Socket = tls
      ? tlsConnect({ host, port, ...tls, ALPNProtocols: ['h2'], servername: isIP(host) ? undefined : host }, () => {
          handshaken = true;
          socket.resume(); // read on: a daemon that refuses our certificate says so after the handshake
        })
      : tcpConnect({ host, port });
    const done = (outcome: Outcome) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(outcome);
    };
    const timer = setTimeout(() => done({ kind: 'open' }), Math.max(0, deadline - Date.now()));
    socket.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'ECONNREFUSED') done({ kind: 'refused', err });
      else done({ kind: handshaken && tls ? 'rejected' : 'failed', err });
    });
    socket.on('close', () => done(handshaken && tls ? { kind: 'rejected' } : { kind: 'open' }));
    if (!tls) socket.once('connect', () => done({ kind: 'open' }));
  });
}

/** Node's codes for a peer certificate that failed verification. */
function isCertificateCode(code: string): boolean {
  return code === 'ERR_TLS_CERT_ALTNAME_INVALID' || /CERT|SIGNATURE|ISSUER/.test(code);
}

/** OpenSSL's reason for a TLS error ('tlsv13 alert certificate required'), else the message. */
function reason(err: Error): string {
  return (err as { reason?: string }).reason ?? err.message;
}

/**
 * Authentication as GitHub does it: the App's RS256 JWT for App routes, an installation token for
 * the rest (unknown or expired → 401; a repository the token's installation does not cover → 404).
 */
import { verify as verifySignature } from 'node:crypto';
import type { StandInState } from './state';

/** Who made the request, or GitHub's refusal (status and message). */
export type Authenticated = { ok: true; installationId?: number } | { ok: false; status: number; message: string };

function jwtPart(part: string): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as unknown;
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Routes that take no credentials at all: the manifest flow's code is the credential. */
function takesNoAuth(template: string): boolean {
  return template === '/app-manifests/{code}/conversions';
}

/** Routes that take the App's JWT rather than an installation token. */
function takesJwt(template: string): boolean {
  return (
    template === '/app' ||
    template.startsWith('/app/') ||
    template === '/repos/{owner}/{repo}/installation' ||
    template === '/orgs/{org}/installation' ||
    template === '/users/{username}/installation'
  );
}

export function authenticate(
  state: StandInState,
  jwtNow: (() => Date) | undefined,
  template: string,
  params: Record<string, string>,
  headers: Headers,
): Authenticated {
  const header = headers.get('authorization') ?? '';
  const fail = (message: string, status = 401) => ({ ok: false as const, status, message });
  if (takesNoAuth(template)) return { ok: true };
  if (takesJwt(template)) {
    const problem = checkJwt(state, jwtNow, header);
    return problem ? fail(problem) : { ok: true };
  }
  const m = /^(?:token|bearer)\s+(\S+)$/i.exec(header);
  const record = m ? state.tokens.get(m[1]!) : undefined;
  if (!record || state.now().getTime() >= record.expiresAt.getTime()) return fail('Bad credentials');
  if (params.owner !== undefined && params.repo !== undefined) {
    const repo = state.repo(params.owner, params.repo);
    const covered =
      repo &&
      repo.installationId === record.installationId &&
      (!record.repositories || record.repositories.includes(repo.fullName));
    // GitHub hides repositories a token cannot see.
    if (!covered) return fail('Not Found', 404);
  } else if (params.org !== undefined) {
    const account = state.installationAccount(record.installationId);
    if (!account || account.login.toLowerCase() !== params.org.toLowerCase()) return fail('Not Found', 404);
  }
  return { ok: true, installationId: record.installationId };
}

/** undefined when the JWT is a valid App JWT; otherwise GitHub's complaint. */
function checkJwt(state: StandInState, jwtNow: (() => Date) | undefined, header: string): string | undefined {
  const m = /^bearer\s+([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]*)$/i.exec(header.trim());
  if (!m) return 'A JSON web token could not be decoded';
  const [, h, p, s] = m as unknown as [string, string, string, string];
  const head = jwtPart(h);
  const payload = jwtPart(p);
  if (!head || !payload || head.alg !== 'RS256') return 'A JSON web token could not be decoded';
  const app = state.app;
  if (!app || String(payload.iss) !== String(app.id)) return 'Integration not found';
  if (app.publicKeyPem) {
    let valid = false;
    try {
      valid = verifySignature('RSA-SHA256', Buffer.from(`${h}.${p}`), app.publicKeyPem, Buffer.from(s, 'base64url'));
    } catch {
      valid = false;
    }
    if (!valid) return 'A JSON web token could not be decoded';
  }
  const now = Math.floor((jwtNow?.() ?? new Date()).getTime() / 1000);
  const { iat, exp } = payload;
  if (typeof iat !== 'number' || iat > now + 60) {
    return "'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued.";
  }
  if (typeof exp !== 'number' || exp <= now) {
    return "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires.";
  }
  if (exp > now + 660) return "'Expiration time' claim ('exp') is too far in the future.";
  return undefined;
}

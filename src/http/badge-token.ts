import { createHmac, timingSafeEqual } from 'node:crypto';

/** The private-badge token (README.md, "Badges"): HMAC-SHA256 of "owner/repo" (lower-cased) with BADGE_SECRET, hex. */
export function badgeToken(secret: string, repo: string): string {
  return createHmac('sha256', secret).update(repo.toLowerCase()).digest('hex');
}

export function isValidBadgeToken(secret: string | null, repo: string, token: string | undefined): boolean {
  if (!secret || !token) return false;
  const want = Buffer.from(badgeToken(secret, repo));
  const got = Buffer.from(token);
  return want.length === got.length && timingSafeEqual(want, got);
}

/** The poll rates the Registers view offers, in ms; 0 reads once. Kept apart from protocol.ts so the page bundle does not pull zod in. */
export const POLL_CHOICES_MS = [0, 100, 250, 500, 1000, 2000, 5000, 10_000] as const;

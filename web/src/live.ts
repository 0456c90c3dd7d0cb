/** How often open views poll for new data (the page follows a running sweep within about 2 s). */
export const LIVE_MS = 1500;

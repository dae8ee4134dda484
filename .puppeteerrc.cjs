/**
 * Puppeteer configuration read at install time: never download a browser.
 * The sidecar uses the system Chromium (Debian's /usr/bin/chromium) through PUPPETEER_EXECUTABLE_PATH.
 */
module.exports = { skipDownload: true };

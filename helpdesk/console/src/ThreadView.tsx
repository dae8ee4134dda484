/** The open ticket's view lives in thread/ (header, timeline, bubbles, media); kept here for imports. */
export { ThreadView } from './thread/ThreadView';

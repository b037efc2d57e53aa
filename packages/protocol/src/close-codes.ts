/**
 * Websocket close codes used by the sync relay on `/sync/<room>`.
 * Invariant: a code in 4400-4499 means "do not reconnect" — y-websocket 3.x providers stop
 * retrying on that range — so it is only used when retrying cannot help.
 */

/** Server is shutting down (standard "going away"); clients reconnect later. */
export const CLOSE_GOING_AWAY = 1001;
/** A message exceeded the server's size cap (standard "message too big", sent by ws itself). */
export const CLOSE_MESSAGE_TOO_BIG = 1009;
/** Unexpected server failure while handling this connection; clients may retry. */
export const CLOSE_INTERNAL_ERROR = 1011;
/**
 * Garbage, truncated or malformed message: unknown message type, bad sync message, an update
 * Yjs cannot decode or apply, a text frame. Only this connection is closed.
 */
export const CLOSE_MALFORMED_MESSAGE = 4400;
/** The authorizer gave this connection no access to the room. */
export const CLOSE_FORBIDDEN = 4403;
/** The room name is not `ds/<datasetId>/validated` or `ds/<datasetId>/pending`. */
export const CLOSE_UNKNOWN_ROOM = 4404;

/**
 * Reason sent with the y-websocket "permission denied" message (message type 2) when a
 * read-only client's document update is dropped. Stable: the app translates it.
 */
export const READ_ONLY_NOTICE = 'read-only';

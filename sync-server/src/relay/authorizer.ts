/**
 * Access levels per websocket connection. The relay asks the Authorizer once, when a client
 * joins a room; 'read' clients get the document but their writes are dropped, 'none' are closed.
 * Until accounts exist (issue 4) the default gives 'write' on every valid room.
 */
import type { IncomingMessage } from 'node:http';

export type AccessLevel = 'write' | 'read' | 'none';

export type Authorizer = (request: IncomingMessage, room: string) => AccessLevel | Promise<AccessLevel>;

export const allowEveryone: Authorizer = () => 'write';

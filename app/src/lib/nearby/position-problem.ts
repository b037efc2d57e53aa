/**
 * Why "near me" has no position, from the Geolocation API's error code, so the person is told
 * what to do: allow location for the site, or try again later. Nothing else changes.
 */

export type PositionProblem = 'unsupported' | 'denied' | 'unavailable';

/** GeolocationPositionError codes: 1 PERMISSION_DENIED, 2 POSITION_UNAVAILABLE, 3 TIMEOUT. */
export function positionProblem(code: number): PositionProblem {
  return code === 1 ? 'denied' : 'unavailable';
}

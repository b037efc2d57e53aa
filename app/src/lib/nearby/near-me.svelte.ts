/**
 * The person's position for "near me", asked only when they choose it and kept for the visit
 * (every dataset sorts by the same position). A refusal or a device without geolocation leaves
 * `here` null and says why in `problem`; the lists then keep their own order.
 */
import type { Point } from '../map/geopoint-format.ts';
import { type PositionProblem, positionProblem } from './position-problem.ts';

class NearMe {
  here = $state.raw<Point | null>(null);
  on = $state(false);
  locating = $state(false);
  problem = $state<PositionProblem | null>(null);

  locate(): void {
    this.problem = null;
    if (typeof navigator === 'undefined' || !('geolocation' in navigator)) {
      this.problem = 'unsupported';
      this.on = false;
      return;
    }
    this.locating = true;
    navigator.geolocation.getCurrentPosition(
      (found) => {
        this.locating = false;
        this.here = { lat: found.coords.latitude, lon: found.coords.longitude };
        this.on = true;
      },
      (error) => {
        this.locating = false;
        this.on = false;
        this.problem = positionProblem(error.code);
      },
      { enableHighAccuracy: false, timeout: 15_000, maximumAge: 120_000 },
    );
  }

  off(): void {
    this.on = false;
  }
}

export const nearMe = new NearMe();

// Admission to the local engine's OCR: a fixed number of places (the request being read and those
// waiting behind it). A request takes a place before its answer starts and gives it back when its text
// is read, when it fails, or when its client leaves; with no place free it is refused (529).

export interface QueuePlace {
  /** Gives the place back; later calls do nothing. */
  leave(): void;
}

export interface RequestQueue {
  /** A place, or undefined when all are taken. */
  enter(): QueuePlace | undefined;
  readonly taken: number;
}

export function createRequestQueue(places: number): RequestQueue {
  let taken = 0;
  return {
    enter() {
      if (taken >= places) return undefined;
      taken += 1;
      let left = false;
      return {
        leave() {
          if (left) return;
          left = true;
          taken -= 1;
        },
      };
    },
    get taken() {
      return taken;
    },
  };
}

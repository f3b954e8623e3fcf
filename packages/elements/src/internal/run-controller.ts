// An element's runs: loading a PDF, checking one, opening a web view. A new run makes the one before it stale:
// its network requests and its worker are aborted (the signal), and whatever it still awaits is dropped when
// it resumes (`isCurrent` is false), so that a late answer never overwrites a newer one. The elements used to
// keep this as a counter and an AbortController each; pdf.js's viewer keeps its listeners the same way.
import type { ReactiveController, ReactiveControllerHost } from 'lit';

export class RunController implements ReactiveController {
  private current = 0;
  private controller = new AbortController();

  constructor(host: ReactiveControllerHost) {
    host.addController(this);
  }

  /** Starts a run: the previous one is aborted and stale. Returns the new run's id. */
  begin(): number {
    this.controller.abort();
    this.controller = new AbortController();
    return ++this.current;
  }

  /** Ends the current run without starting another: aborted, and stale for whoever still awaits it. */
  end(): void {
    this.controller.abort();
    this.current++;
  }

  /** Aborts what the current run has in flight (its requests, its worker, its listeners); the run stays current. */
  abort(): void {
    this.controller.abort();
  }

  /** The current run's id (to tag what it starts, such as an iframe's `load`). */
  get id(): number {
    return this.current;
  }

  /** Whether `run` is still the latest run (a run that was ended or replaced is not). */
  isCurrent(run: number): boolean {
    return run === this.current;
  }

  /** The current run's signal: for fetch, a worker, and listeners that end with the run. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** A disconnected element stops what it has in flight; the element decides whether to start again. */
  hostDisconnected(): void {
    this.controller.abort();
  }
}

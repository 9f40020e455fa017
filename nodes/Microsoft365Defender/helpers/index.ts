/** Shared helpers of the action node and the trigger; see each file's header for its API. */
export * from './determination';
export * from './enums';
export * from './filter';
export * from './incidentId';
export * from './validation';

/** Shared helpers of the action node and the trigger; see each file's header for its API. */
export * from './alertId';
export * from './determination';
export * from './enums';
export * from './filter';
export * from './incidentId';
export * from './validation';
export * from './updateFields';
export * from './mdeFilter';
export * from './mdePermissions';
export * from './mdeValues';
export * from './mdeWait';

// The one interpreter of a flow's behaviour (docs/architecture.md, "The one
// interpreter"): pure, no I/O and no clock. The runtime and the simulator are
// shells around it that read facts and perform plans.
export * from './effect-plan';
export * from './identity-answer';
export * from './outbound';
export * from './replies';
export * from './scope';
export * from './step';
export * from './wait-window';

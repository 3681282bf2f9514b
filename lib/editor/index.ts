// The editor's model, framework-free: the store (zustand), changes, connections, layout (and its Web Worker client), the lint client (a Web Worker) and serialization. Built for the browser: server code (lib/flows) imports lint.ts, defaults.ts and serialize.ts directly, so no worker or store comes with it.
export { type XY } from './changes';
export { connectionRefusal, safeOutputs } from './connection';
export { blankFlow, slugify, uniqueId } from './defaults';
export { createLayoutClient } from './layout-client';
export { gridPositions, lacksPositions, layoutFlow, layoutPositions, withPositions } from './layout';
export { createLintClient, type LintClient } from './lint-client';
export { type FlowLint, indexLint, type LintFindings } from './lint-index';
export { lintFindings } from './lint';
export { type CanvasEdge, type CanvasNode, createEdgeConverter, createNodeConverter } from './react-flow';
export { exportFileName, serializeFlow } from './serialize';
export { createEditorStore, type EditorState, type EditorStore, isDirty } from './store';
export { flowVariables, insertVariable, suggestVariables, variableAtCaret, type VariableSuggestion } from './variables';

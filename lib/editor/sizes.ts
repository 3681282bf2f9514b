/** The size the canvas draws a node at, for layout (nodes are a fixed width). */
export const NODE_WIDTH = 240;
/** A typical height (a message step with its preview); the canvas measures the real ones. */
export const NODE_HEIGHT = 170;

// Shared by the pages of the Q&A module: the states in workflow order (moderation, then the
// shared closed loop of src/loop.h) and their tag colours.
export const STATES = ['pending', 'rejected', 'open', 'accepted', 'in_progress', 'replied', 'closed', 'reopened']
export const STATE_TAG = { pending: 'warning', rejected: 'info', open: 'primary', accepted: 'primary', in_progress: 'primary', replied: 'success', closed: 'info', reopened: 'danger' }

// Audiences and campaigns: segments (saved filters over contacts), the pre-flight compliance preview, campaigns and their enrolment.
export type { AttributeOp, ConsentFilterStatus, Segment, SegmentFilter, SegmentLeaf, SegmentMember } from '@/lib/db/segment-repository';
export { type SegmentPreview, SAMPLE_SIZE } from './segments';
export type { Campaign, CampaignAudience, CampaignProgress, CampaignSchedule, CampaignStatus } from '@/lib/db/campaign-repository';
export type { PreviewSummary } from './preview';

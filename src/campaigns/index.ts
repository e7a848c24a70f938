export { campaignRoutes } from './campaigns.routes.js';
export { getVisibleCampaign } from './campaigns.service.js';
export { campaignsRepository, isOpen, type CampaignRecord } from './campaigns.repository.js';
export { createCampaign } from './campaigns.service.js';

import { checkCatalogShare } from './catalog-expectations.js';

checkCatalogShare(0);

// Reads and writes organisations. A write changes the one document of the clinic and appends its
// events in the same atomic operation; concurrent writers are told apart by the version number.
import { VersionedRepository, type Store } from '@portico/kit/store';
import type { Model } from 'mongoose';
import type { Organisation } from '../domain/organisation.js';
import { organisationModel, type OrganisationDocument } from './organisation-model.js';

export class OrganisationRepository extends VersionedRepository<Organisation, OrganisationDocument> {
  constructor(store: Store) {
    super(store, organisationModel(store.connection) as Model<OrganisationDocument>, 'organisation');
  }

  override async init(): Promise<this> {
    await super.init();
    await this.replaceWithdrawnCountryCodes('profile.address.countryCode');
    return this;
  }

  protected idOf(organisation: Organisation): string {
    return organisation.clinicId;
  }

  protected toEntity({ _id, profile, logo, handbook, updatedAt, version }: OrganisationDocument): Organisation {
    return { clinicId: _id, profile, logo: logo ?? undefined, handbook: handbook ?? undefined, updatedAt, version };
  }

  protected fieldsOf(organisation: Organisation) {
    const { profile, logo, handbook, updatedAt, version } = organisation;
    return { profile, logo: logo ?? null, handbook: handbook ?? null, updatedAt, version };
  }

  find(clinicId: string): Promise<Organisation | undefined> {
    return this.findOne({ _id: clinicId });
  }
}

// How form definitions, the surveys a clinic offers, and patients' forms are kept. A form carries
// the events of its last changes (the outbox) until the relay has published them; definitions and
// offers are the clinic's own settings and publish nothing.
import { withOutbox } from '@portico/kit/eventing';
import { mongoose, type Connection } from '@portico/kit/mongo';
import type { OutboxEntry } from '@portico/kit/eventing';
import type { Page } from '@portico/kit/paging';
import { isDuplicateKey, type Store } from '@portico/kit/store';
import type { Model } from 'mongoose';
import { FORM_STATES, type Form, type FormDefinition, type SurveyOffer } from '../domain/forms.js';
import { EntityRepository, type Doc, type Scope } from './repositories.js';

export const FORMS_COLLECTION = 'forms';
export const FORM_DEFINITIONS_COLLECTION = 'form_definitions';
export const SURVEY_OFFERS_COLLECTION = 'survey_offers';

const definitionSchema = new mongoose.Schema(
  {
    // <clinic>:<key>:<version>: a version is published once.
    _id: { type: String, required: true },
    clinicId: { type: String, required: true },
    key: { type: String, required: true },
    definitionVersion: { type: Number, required: true },
    title: { type: String, required: true },
    surveyJson: { type: String, required: true },
    publishedBy: { type: String, required: true },
    publishedAt: { type: Date, required: true },
  },
  { collection: FORM_DEFINITIONS_COLLECTION, versionKey: false },
);
definitionSchema.index({ clinicId: 1, key: 1, definitionVersion: -1 });

const offerSchema = new mongoose.Schema(
  {
    // <clinic>:<key>: one offer per survey.
    _id: { type: String, required: true },
    clinicId: { type: String, required: true },
    definitionKey: { type: String, required: true },
    definitionVersion: { type: Number, required: true },
    title: { type: String, required: true },
    offeredBy: { type: String, required: true },
    offeredAt: { type: Date, required: true },
  },
  { collection: SURVEY_OFFERS_COLLECTION, versionKey: false },
);
offerSchema.index({ clinicId: 1, offeredAt: -1 });

const formSchema = new mongoose.Schema(
  {
    _id: { type: String, required: true },
    patientId: { type: String, required: true },
    clinicId: { type: String, required: true },
    definitionKey: { type: String, required: true },
    definitionVersion: { type: Number, required: true },
    title: { type: String, required: true },
    optional: { type: Boolean, required: true },
    state: { type: String, enum: FORM_STATES, required: true },
    // A JSON string rather than a subdocument: question names are the clinic's, and answers are
    // only ever read whole.
    answersJson: { type: String, required: true },
    assignedBy: { type: String, required: true },
    assignedAt: { type: Date, required: true },
    draftSavedAt: { type: Date, default: null },
    submittedBy: { type: String, default: '' },
    submittedAt: { type: Date, default: null },
    version: { type: Number, required: true },
  },
  { collection: FORMS_COLLECTION, versionKey: false },
);
formSchema.plugin(withOutbox);
// A patient's list, newest first.
formSchema.index({ patientId: 1, assignedAt: -1 });

const modelOf = (connection: Connection, name: string, schema: mongoose.Schema) =>
  connection.models[name] ?? connection.model(name, schema);

const definitionId = (clinicId: string, key: string, version: number) => `${clinicId}:${key}:${version}`;

/** A clinic's definitions: every version kept, since forms refer to the one they were assigned with. */
export class FormDefinitionRepository {
  private readonly model: Model<FormDefinition & { _id: string }>;
  constructor(store: Store) {
    this.model = modelOf(store.connection, 'FormDefinition', definitionSchema) as never;
  }
  async init(): Promise<this> {
    await this.model.createIndexes();
    return this;
  }
  private static entity({ _id, ...definition }: FormDefinition & { _id: string }): FormDefinition {
    return definition;
  }
  async latest(clinicId: string, key: string): Promise<FormDefinition | undefined> {
    const found = await this.model.findOne({ clinicId, key }).sort({ definitionVersion: -1 }).lean();
    return found ? FormDefinitionRepository.entity(found) : undefined;
  }
  async version(clinicId: string, key: string, version: number): Promise<FormDefinition | undefined> {
    const found = await this.model.findOne({ _id: definitionId(clinicId, key, version) }).lean();
    return found ? FormDefinitionRepository.entity(found) : undefined;
  }
  /** The newest version of each of the clinic's definitions. */
  async latestOfClinic(clinicId: string): Promise<FormDefinition[]> {
    const all = await this.model.find({ clinicId }, { surveyJson: 0 }).sort({ key: 1, definitionVersion: -1 }).lean();
    const newest = new Map<string, FormDefinition>();
    for (const d of all) if (!newest.has(d.key)) newest.set(d.key, FormDefinitionRepository.entity({ ...d, surveyJson: '' }));
    return [...newest.values()];
  }
  /** Stores a new version; false when that version exists already (another publish won). */
  async tryAdd(definition: FormDefinition): Promise<boolean> {
    try {
      await this.model.create({ _id: definitionId(definition.clinicId, definition.key, definition.definitionVersion), ...definition });
      return true;
    } catch (error) {
      if (isDuplicateKey(error)) return false;
      throw error;
    }
  }
}

/** The surveys a clinic offers to every patient. */
export class SurveyOfferRepository {
  private readonly model: Model<SurveyOffer & { _id: string }>;
  constructor(store: Store) {
    this.model = modelOf(store.connection, 'SurveyOffer', offerSchema) as never;
  }
  async init(): Promise<this> {
    await this.model.createIndexes();
    return this;
  }
  async ofClinic(clinicId: string): Promise<SurveyOffer[]> {
    const found = await this.model.find({ clinicId }).sort({ offeredAt: -1, _id: 1 }).limit(100).lean();
    return found.map(({ _id, ...offer }) => offer);
  }
  async find(clinicId: string, key: string): Promise<SurveyOffer | undefined> {
    const found = await this.model.findOne({ _id: `${clinicId}:${key}` }).lean();
    if (!found) return undefined;
    const { _id, ...offer } = found;
    return offer;
  }
  /** Offers the survey unless it is offered already; the offer that holds either way. */
  async offer(offer: SurveyOffer): Promise<SurveyOffer> {
    try {
      await this.model.create({ _id: `${offer.clinicId}:${offer.definitionKey}`, ...offer });
      return offer;
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      return (await this.find(offer.clinicId, offer.definitionKey))!;
    }
  }
}

export class FormRepository extends EntityRepository<Form> {
  constructor(store: Store) {
    super(store, modelOf(store.connection, 'Form', formSchema) as unknown as Model<Doc<Form>>, 'form', 'formId');
  }
  find(scope: Scope, formId: string) {
    return this.findIn(scope, formId);
  }
  list(scope: Scope, page: Page) {
    return this.listIn(scope, page, 'assignedAt');
  }
  /** The patient's forms among `formIds` (their copies of offered surveys). */
  surveyCopies(scope: Scope, formIds: string[]) {
    return this.findMany({ patientId: scope.patientId, _id: { $in: formIds } }, { sort: { _id: 1 } });
  }
  /** Stores a new form with its events; false when a form with its id exists (a survey started twice). */
  tryAdd(form: Form, events: OutboxEntry[]) {
    return this.tryInsert(form, events);
  }
}

/** The three repositories of forms, ready (indexes made). */
export async function formRepositories(store: Store) {
  const [forms, definitions, offers] = await Promise.all([
    new FormRepository(store).init(),
    new FormDefinitionRepository(store).init(),
    new SurveyOfferRepository(store).init(),
  ]);
  return { forms, definitions, offers };
}

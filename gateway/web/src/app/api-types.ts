// Generated from gateway/openapi.json by gateway/web/scripts/api-types.mjs (openapi-typescript).
// Do not edit: change the gateway's route schemas, regenerate the document, then run
// `npm run api-types -w @portico/web`.
export type paths = {
  '/calendar/{token}.ics': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * A patient’s private calendar feed (iCalendar), for calendar programs
     * @description No authentication: the address made by POST /api/v1/patients/{patientId}/appointments/calendar-feed is the credential. 404 once revoked or replaced.
     */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          token: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The feed */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'text/calendar': string;
          };
        };
        /** @description A problem (RFC 9457) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        504: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/me': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The logged-in user, the patients they may act for, and their CSRF token */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Me'];
          };
        };
        /** @description A problem (RFC 9457) */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        504: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/me/acting-for': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    /** Choose the patient a guardian acts for */
    put: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            /** Format: uuid */
            patientId: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              /** Format: uuid */
              actingFor: string;
            };
          };
        };
        /** @description A problem (RFC 9457) */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        415: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        504: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/organisation': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The clinic: welcome message, contact details, handbook */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Organisation'];
          };
        };
        /** @description A problem (RFC 9457) */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        504: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/organisation/logo': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The clinic's logo */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The logo */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'image/png': string;
            'image/jpeg': string;
            'image/svg+xml': string;
          };
        };
        /** @description A problem (RFC 9457) */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        504: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/organisation/handbook': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The client handbook (download) */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The handbook, as an attachment */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/pdf': string;
          };
        };
        /** @description A problem (RFC 9457) */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        504: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/patients/{patientId}/contacts': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** All contacts of a patient, active and inactive */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          patientId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              contacts: components['schemas']['Contact'][];
            };
          };
        };
        /** @description A problem (RFC 9457) */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        504: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    put?: never;
    /**
     * Add a contact
     * @description Send an Idempotency-Key header to make retries safe: the same key returns the contact the first request added.
     */
    post: {
      parameters: {
        query?: never;
        header?: {
          'idempotency-key'?: string;
        };
        path: {
          patientId: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': components['schemas']['ContactInput'];
        };
      };
      responses: {
        /** @description Default Response */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              contact: components['schemas']['Contact'];
            };
          };
        };
        /** @description A problem (RFC 9457) */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        415: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        504: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/patients/{patientId}/contacts/{contactId}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One contact */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          patientId: string;
          contactId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              contact: components['schemas']['Contact'];
            };
          };
        };
        /** @description A problem (RFC 9457) */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        504: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    /**
     * Edit a contact (replaces its details)
     * @description Send If-Match with the version you read (e.g. "3") to refuse the edit when someone changed the contact meanwhile.
     */
    put: {
      parameters: {
        query?: never;
        header?: {
          /** @description The version you read (e.g. "3"): the change is refused when someone changed the resource meanwhile */
          'if-match'?: string;
        };
        path: {
          patientId: string;
          contactId: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': components['schemas']['ContactInput'];
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              contact: components['schemas']['Contact'];
            };
          };
        };
        /** @description A problem (RFC 9457) */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        412: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        415: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        504: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/patients/{patientId}/contacts/{contactId}/inactivate': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Inactivate a contact */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          patientId: string;
          contactId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              contact: components['schemas']['Contact'];
            };
          };
        };
        /** @description A problem (RFC 9457) */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        504: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/patients/{patientId}/contacts/{contactId}/reactivate': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Reactivate a contact */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          patientId: string;
          contactId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              contact: components['schemas']['Contact'];
            };
          };
        };
        /** @description A problem (RFC 9457) */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        504: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/patients/{patientId}/access-history': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Who opened the patient’s record, newest first (the patient or their guardian) */
    get: {
      parameters: {
        query?: {
          /** @description Entries per page, 1 to 100; 50 when absent */
          pageSize?: string;
          /** @description The nextPageToken of the previous page */
          pageToken?: string;
        };
        header?: never;
        path: {
          patientId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              openings: components['schemas']['RecordOpening'][];
              /** @description Empty on the last page */
              nextPageToken: string;
            };
          };
        };
        /** @description A problem (RFC 9457) */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        504: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/patients/{patientId}/appointments': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Upcoming appointments (soonest first) or past ones (latest first), paged */
    get: {
      parameters: {
        query?: {
          /** @description upcoming when absent */
          period?: 'upcoming' | 'past';
          /** @description Entries per page, 1 to 100; 50 when absent */
          pageSize?: string;
          /** @description The nextPageToken of the previous page */
          pageToken?: string;
        };
        header?: never;
        path: {
          patientId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              appointments: components['schemas']['Appointment'][];
              /** @description Empty on the last page */
              nextPageToken: string;
            };
          };
        };
        /** @description A problem (RFC 9457) */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        504: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/patients/{patientId}/appointments/calendar-feed': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Whether the patient has a calendar feed address, and since when */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          patientId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Whether the patient has a feed address, and since when (never the address) */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['CalendarFeedStatus'];
          };
        };
        /** @description A problem (RFC 9457) */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        504: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    put?: never;
    /**
     * A private calendar feed address of the patient’s appointments (replaces the one before)
     * @description The address is the credential: anyone who has it sees the times of the appointments (titled "Appointment at <clinic>", nothing more). It is shown once; GET tells only whether one exists.
     */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          patientId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description A new private calendar feed address; the one before stops working */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['CalendarFeed'];
          };
        };
        /** @description A problem (RFC 9457) */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        504: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    /** Stop the calendar feed address working, at once */
    delete: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          patientId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Revoked (also when there was none) */
        204: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
        /** @description A problem (RFC 9457) */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        504: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/patients/{patientId}/appointments/{appointmentId}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One appointment */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          patientId: string;
          appointmentId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              appointment: components['schemas']['Appointment'];
            };
          };
        };
        /** @description A problem (RFC 9457) */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        504: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/patients/{patientId}/appointments/{appointmentId}/join': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * The meeting link of a telehealth appointment, while its join window is open
     * @description Send no body. Outside the window (from telehealthOpensAt until the end), for an in-person or a cancelled appointment: 412 /problems/precondition-failed.
     */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          patientId: string;
          appointmentId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              /** Format: uri */
              meetingUrl: string;
            };
          };
        };
        /** @description A problem (RFC 9457) */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        412: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        504: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/patients/{patientId}/appointments/{appointmentId}/calendar.ics': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One appointment as a calendar file (iCalendar, download) */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          patientId: string;
          appointmentId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The appointment as an iCalendar attachment */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'text/calendar': string;
          };
        };
        /** @description A problem (RFC 9457) */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        504: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/me/notification-preferences': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The emails I get */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The emails the logged-in person wants */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['NotificationPreferences'];
          };
        };
        /** @description A problem (RFC 9457) */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        504: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    /** Choose the emails I get */
    put: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': components['schemas']['NotificationPreferences'];
        };
      };
      responses: {
        /** @description The emails the logged-in person wants */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['NotificationPreferences'];
          };
        };
        /** @description A problem (RFC 9457) */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        415: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        504: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/patients/{patientId}/insurance': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A patient’s coverages: active ones by priority, then inactive ones */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          patientId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              coverages: components['schemas']['Coverage'][];
            };
          };
        };
        /** @description A problem (RFC 9457) */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        504: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    put?: never;
    /**
     * Add a coverage with photos of the card
     * @description multipart/form-data: a `details` part holding the JSON of CoverageInput, and optional `frontPhoto` and `backPhoto` file parts (JPEG, PNG or HEIC by their bytes, at most 10 MB each; a larger one is refused with 413 naming it). Send an Idempotency-Key header to make retries safe.
     */
    post: {
      parameters: {
        query?: never;
        header?: {
          'idempotency-key'?: string;
        };
        path: {
          patientId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              coverage: components['schemas']['Coverage'];
            };
          };
        };
        /** @description A problem (RFC 9457) */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        415: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        504: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/patients/{patientId}/insurance/{coverageId}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    /**
     * Edit a coverage (replaces its details; a photo sent replaces that side)
     * @description multipart/form-data: a `details` part holding the JSON of CoverageInput, and optional `frontPhoto` and `backPhoto` file parts (JPEG, PNG or HEIC by their bytes, at most 10 MB each; a larger one is refused with 413 naming it). The coverage is submitted again for the clinic to verify. Send If-Match with the version you read.
     */
    put: {
      parameters: {
        query?: never;
        header?: {
          /** @description The version you read (e.g. "3"): the change is refused when someone changed the resource meanwhile */
          'if-match'?: string;
        };
        path: {
          patientId: string;
          coverageId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              coverage: components['schemas']['Coverage'];
            };
          };
        };
        /** @description A problem (RFC 9457) */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        412: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        415: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        504: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/patients/{patientId}/insurance/{coverageId}/deactivate': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Deactivate a coverage (it stays listed as inactive) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          patientId: string;
          coverageId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              coverage: components['schemas']['Coverage'];
            };
          };
        };
        /** @description A problem (RFC 9457) */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        504: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/patients/{patientId}/insurance/{coverageId}/photos/front': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The photo of the card's front, as uploaded */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          patientId: string;
          coverageId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'image/jpeg': string;
            'image/png': string;
            'image/heic': string;
          };
        };
        /** @description A problem (RFC 9457) */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        504: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/patients/{patientId}/insurance/{coverageId}/photos/back': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The photo of the card's back, as uploaded */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          patientId: string;
          coverageId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'image/jpeg': string;
            'image/png': string;
            'image/heic': string;
          };
        };
        /** @description A problem (RFC 9457) */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        504: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/patients/{patientId}/documents': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Notes, assessments and treatment plans shared with the patient, newest first, paged */
    get: {
      parameters: {
        query?: {
          /** @description Entries per page, 1 to 100; 50 when absent */
          pageSize?: string;
          /** @description The nextPageToken of the previous page */
          pageToken?: string;
        };
        header?: never;
        path: {
          patientId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              documents: components['schemas']['ClinicalDocument'][];
              /** @description Empty on the last page */
              nextPageToken: string;
            };
          };
        };
        /** @description A problem (RFC 9457) */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        504: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/patients/{patientId}/documents/{documentId}/file': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A clinical document (download); the patient’s or a guardian’s first download marks it opened */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          patientId: string;
          documentId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The file, as an attachment */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/pdf': string;
            'image/jpeg': string;
            'image/png': string;
            'image/heic': string;
            'image/heif': string;
            'application/vnd.openxmlformats-officedocument.wordprocessingml.document': string;
          };
        };
        /** @description A problem (RFC 9457) */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        504: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/patients/{patientId}/resources': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Resources the patient sees (theirs and the clinic’s for everyone), newest first, paged */
    get: {
      parameters: {
        query?: {
          /** @description Entries per page, 1 to 100; 50 when absent */
          pageSize?: string;
          /** @description The nextPageToken of the previous page */
          pageToken?: string;
        };
        header?: never;
        path: {
          patientId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              resources: components['schemas']['Resource'][];
              /** @description Empty on the last page */
              nextPageToken: string;
            };
          };
        };
        /** @description A problem (RFC 9457) */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        504: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/patients/{patientId}/resources/{resourceId}/file': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A resource’s file (download); a link resource has none (400) */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          patientId: string;
          resourceId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The file, as an attachment */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/pdf': string;
            'image/jpeg': string;
            'image/png': string;
            'image/heic': string;
            'image/heif': string;
            'application/vnd.openxmlformats-officedocument.wordprocessingml.document': string;
          };
        };
        /** @description A problem (RFC 9457) */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        504: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/patients/{patientId}/uploads': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Files the patient or a guardian sent to the clinic, newest first, paged */
    get: {
      parameters: {
        query?: {
          /** @description Entries per page, 1 to 100; 50 when absent */
          pageSize?: string;
          /** @description The nextPageToken of the previous page */
          pageToken?: string;
        };
        header?: never;
        path: {
          patientId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              uploads: components['schemas']['Upload'][];
              /** @description Empty on the last page */
              nextPageToken: string;
            };
          };
        };
        /** @description A problem (RFC 9457) */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        504: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    put?: never;
    /**
     * Send a file to the clinic: PDF, JPEG, PNG, HEIC/HEIF or Word (DOCX), 25 MB at most
     * @description The body is the file itself, streamed; its name goes in X-File-Name (URI-encoded). The type is read from the bytes: anything else is refused with a problem saying why, and nothing is kept.
     */
    post: {
      parameters: {
        query?: never;
        header?: {
          /** @description The file’s name on the device, URI-encoded */
          'x-file-name'?: string;
          /** @description Required: the file’s size in bytes */
          'content-length'?: string;
        };
        path: {
          patientId: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/octet-stream': unknown;
        };
      };
      responses: {
        /** @description Default Response */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              upload: components['schemas']['Upload'];
            };
          };
        };
        /** @description A problem (RFC 9457) */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        411: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        504: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/patients/{patientId}/uploads/{uploadId}/file': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** An uploaded file (download), exactly the bytes received */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          patientId: string;
          uploadId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The file, as an attachment */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/pdf': string;
            'image/jpeg': string;
            'image/png': string;
            'image/heic': string;
            'image/heif': string;
            'application/vnd.openxmlformats-officedocument.wordprocessingml.document': string;
          };
        };
        /** @description A problem (RFC 9457) */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        504: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/patients/{patientId}/screenings': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The patient’s screenings, assigned and completed, newest first, paged */
    get: {
      parameters: {
        query?: {
          /** @description Entries per page, 1 to 100; 50 when absent */
          pageSize?: string;
          /** @description The nextPageToken of the previous page */
          pageToken?: string;
        };
        header?: never;
        path: {
          patientId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              screenings: components['schemas']['Screening'][];
              /** @description Empty on the last page */
              nextPageToken: string;
            };
          };
        };
        /** @description A problem (RFC 9457) */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        504: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/patients/{patientId}/screenings/{screeningId}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A screening with its questions, its result once completed, and the trend over earlier ones of its kind */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          patientId: string;
          screeningId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              screening: components['schemas']['Screening'];
              questionnaire: components['schemas']['ScreeningQuestionnaire'];
              /** @description Completed ones of the same instrument, oldest first */
              trend: components['schemas']['ScreeningTrendPoint'][];
            };
          };
        };
        /** @description A problem (RFC 9457) */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        504: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/patients/{patientId}/screenings/{screeningId}/answers': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Submit the answers (patient or guardian), once; the result and the trend come back
     * @description Every item is required and each answer is 0 to 3; anything else is refused by item and nothing is kept. A second submission is refused (412, saying it was completed already).
     */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          patientId: string;
          screeningId: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': components['schemas']['ScreeningAnswers'];
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              screening: components['schemas']['Screening'];
              trend: components['schemas']['ScreeningTrendPoint'][];
            };
          };
        };
        /** @description A problem (RFC 9457) */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        412: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        504: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/patients/{patientId}/consents': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The patient’s consents, newest first, and how many wait for a signature (the badge) */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          patientId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              consents: components['schemas']['Consent'][];
              outstandingCount: number;
            };
          };
        };
        /** @description A problem (RFC 9457) */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        504: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/patients/{patientId}/consents/{consentId}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A consent with its text, and the electronic-records disclosure the caller must accept before signing */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          patientId: string;
          consentId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              consent: components['schemas']['Consent'];
              text: string;
              disclosure: components['schemas']['ElectronicRecordsDisclosure'];
              /** @description Whether the caller accepted this version of the disclosure */
              disclosureAccepted: boolean;
            };
          };
        };
        /** @description A problem (RFC 9457) */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        504: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/electronic-records-disclosure/acceptance': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Accept the electronic-records disclosure (patient or guardian), before a first electronic signature */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            version: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              version: string;
              /** Format: date-time */
              acceptedAt: string;
            };
          };
        };
        /** @description A problem (RFC 9457) */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        504: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/patients/{patientId}/consents/{consentId}/signature': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Sign an outstanding consent (patient or guardian) with the typed full name and, if drawn, the signature
     * @description A blank typed name or an empty drawing is refused (400) and nothing is kept. A consent signed already, or a signer who has not accepted the disclosure, is refused (412).
     */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          patientId: string;
          consentId: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': components['schemas']['ConsentSignature'];
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              consent: components['schemas']['Consent'];
            };
          };
        };
        /** @description A problem (RFC 9457) */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        412: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        504: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/patients/{patientId}/consents/{consentId}/revocation': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Revoke a signed release of information (patient or guardian) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          patientId: string;
          consentId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              consent: components['schemas']['Consent'];
            };
          };
        };
        /** @description A problem (RFC 9457) */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        412: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        504: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/patients/{patientId}/consents/{consentId}/signed.pdf': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The signed consent as a PDF (download): the text as signed, the signature and the certificate page */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          patientId: string;
          consentId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The signed PDF, as an attachment */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/pdf': string;
          };
        };
        /** @description A problem (RFC 9457) */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        412: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        504: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/patients/{patientId}/forms': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The patient’s forms (assigned, and surveys they started), newest first, paged */
    get: {
      parameters: {
        query?: {
          /** @description Entries per page, 1 to 100; 50 when absent */
          pageSize?: string;
          /** @description The nextPageToken of the previous page */
          pageToken?: string;
        };
        header?: never;
        path: {
          patientId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              forms: components['schemas']['Form'][];
              /** @description Empty on the last page */
              nextPageToken: string;
            };
          };
        };
        /** @description A problem (RFC 9457) */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        504: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/patients/{patientId}/forms/{formId}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A form with its SurveyJS definition (the version it was assigned with) and its answers so far */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          patientId: string;
          formId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              form: components['schemas']['Form'];
              /** @description The SurveyJS definition */
              survey: {
                [key: string]: unknown;
              };
              /** @description By question name */
              answers: {
                [key: string]: unknown;
              };
            };
          };
        };
        /** @description A problem (RFC 9457) */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        504: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/patients/{patientId}/forms/{formId}/draft': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    /**
     * Keep the answers so far as the form’s draft (patient or guardian)
     * @description One draft per form, whatever the device. A save made from an older revision (another tab or device saved since) is refused with 412 and changes nothing; so is a save of a submitted form.
     */
    put: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          patientId: string;
          formId: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': components['schemas']['FormAnswers'];
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              form: components['schemas']['Form'];
            };
          };
        };
        /** @description A problem (RFC 9457) */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        412: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        504: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/patients/{patientId}/forms/{formId}/submission': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Submit the answers (patient or guardian), once; the form is read-only afterwards
     * @description The answers are checked against the form’s definition: a required answer missing or an invalid one is refused (400, by question) and nothing is kept. A stale revision or a second submission is refused (412).
     */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          patientId: string;
          formId: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': components['schemas']['FormAnswers'];
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              form: components['schemas']['Form'];
            };
          };
        };
        /** @description A problem (RFC 9457) */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        412: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        504: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/patients/{patientId}/forms/{formId}/answers.pdf': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A submitted form’s questions and answers as a PDF */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          patientId: string;
          formId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The answers, as an attachment */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/pdf': string;
          };
        };
        /** @description A problem (RFC 9457) */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        412: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        504: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/patients/{patientId}/surveys': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The optional surveys the patient’s clinic offers, each with the patient’s copy once started */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          patientId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              surveys: components['schemas']['OfferedSurvey'][];
            };
          };
        };
        /** @description A problem (RFC 9457) */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        504: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/patients/{patientId}/surveys/{definitionKey}/start': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Start an offered survey (patient or guardian): it becomes one of the patient’s forms; starting again answers the same form */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          patientId: string;
          /** @description The definition’s key, e.g. "intake" */
          definitionKey: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              form: components['schemas']['Form'];
            };
          };
        };
        /** @description A problem (RFC 9457) */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        504: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/billing/payment-settings': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Which processor takes cards (sandbox or Stripe) and its publishable key */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              /** @enum {string} */
              processor: 'sandbox' | 'stripe';
              /** @description Stripe’s publishable key; empty for the sandbox */
              publishableKey: string;
              /**
               * @description ISO 4217
               * @example USD
               */
              currency: string;
            };
          };
        };
        /** @description A problem (RFC 9457) */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        504: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/patients/{patientId}/billing/summary': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The payment summary: balance, overdue, last payment, next instalment */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          patientId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The payment summary of the Billing page */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['BillingSummary'];
          };
        };
        /** @description A problem (RFC 9457) */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        504: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/patients/{patientId}/billing/invoices': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Invoices, newest first; outstanding=true keeps those with something due */
    get: {
      parameters: {
        query?: {
          outstanding?: 'true' | 'false';
          /** @description Entries per page, 1 to 100; 50 when absent */
          pageSize?: string;
          /** @description The nextPageToken of the previous page */
          pageToken?: string;
        };
        header?: never;
        path: {
          patientId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              invoices: components['schemas']['Invoice'][];
              /** @description Empty on the last page */
              nextPageToken: string;
            };
          };
        };
        /** @description A problem (RFC 9457) */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        504: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/patients/{patientId}/billing/invoices/{invoiceId}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One invoice with its line items */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          patientId: string;
          invoiceId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              invoice: components['schemas']['Invoice'];
            };
          };
        };
        /** @description A problem (RFC 9457) */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        504: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/patients/{patientId}/billing/payments': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Payments, newest first, each with the invoices it settled */
    get: {
      parameters: {
        query?: {
          /** @description Entries per page, 1 to 100; 50 when absent */
          pageSize?: string;
          /** @description The nextPageToken of the previous page */
          pageToken?: string;
        };
        header?: never;
        path: {
          patientId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              payments: components['schemas']['Payment'][];
              /** @description Empty on the last page */
              nextPageToken: string;
            };
          };
        };
        /** @description A problem (RFC 9457) */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        504: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    put?: never;
    /**
     * Make a Payment: the whole balance, chosen invoices, or an amount
     * @description Applied oldest invoice first unless invoices are chosen. An amount is more than zero, not more than the balance, in whole minor units. 201 with the payment: succeeded, failed (declined, with failureReason) or pending (the processor has not answered; it is reconciled, never charged twice).
     */
    post: {
      parameters: {
        query?: never;
        header?: {
          /** @description Required: a retry or a double click with the same key charges once; the same key for another payment is refused (412) */
          'idempotency-key'?: string;
        };
        path: {
          patientId: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': components['schemas']['NewPayment'];
        };
      };
      responses: {
        /** @description Default Response */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              payment: components['schemas']['Payment'];
            };
          };
        };
        /** @description A problem (RFC 9457) */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        412: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        415: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        504: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/patients/{patientId}/billing/payments/{paymentId}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One payment */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          patientId: string;
          paymentId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              payment: components['schemas']['Payment'];
            };
          };
        };
        /** @description A problem (RFC 9457) */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        504: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/patients/{patientId}/billing/statements': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Monthly statements, newest first, each with its totals */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          patientId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              statements: components['schemas']['Statement'][];
            };
          };
        };
        /** @description A problem (RFC 9457) */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        504: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/patients/{patientId}/billing/statements/{month}.pdf': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One month’s statement (PDF, download) */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          patientId: string;
          /**
           * @description YYYY-MM
           * @example 2026-11
           */
          month: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The statement */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/pdf': string;
          };
        };
        /** @description A problem (RFC 9457) */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        504: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/patients/{patientId}/billing/superbills': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Super bills, newest first */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          patientId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              superbills: components['schemas']['Superbill'][];
            };
          };
        };
        /** @description A problem (RFC 9457) */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        504: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/patients/{patientId}/billing/superbills/{superbillId}.pdf': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One super bill (PDF, download) */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          patientId: string;
          superbillId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The super bill */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/pdf': string;
          };
        };
        /** @description A problem (RFC 9457) */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        504: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/patients/{patientId}/billing/payments/{paymentId}/receipt.pdf': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The receipt of a settled payment (PDF, download) */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          patientId: string;
          paymentId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The receipt */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/pdf': string;
          };
        };
        /** @description A problem (RFC 9457) */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        412: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        504: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/billing/signing-disclosure': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The electronic records disclosure (ESIGN) a signer accepts, with its version */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              version: string;
              text: string;
            };
          };
        };
        /** @description A problem (RFC 9457) */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        504: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/patients/{patientId}/billing/estimates': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Good Faith Estimates, newest first */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          patientId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              estimates: components['schemas']['Estimate'][];
            };
          };
        };
        /** @description A problem (RFC 9457) */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        504: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/patients/{patientId}/billing/estimates/{estimateId}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One Good Faith Estimate, its current version */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          patientId: string;
          estimateId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              estimate: components['schemas']['Estimate'];
            };
          };
        };
        /** @description A problem (RFC 9457) */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        504: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/patients/{patientId}/billing/estimates/{estimateId}/estimate.pdf': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One Good Faith Estimate (PDF, download) */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          patientId: string;
          estimateId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The estimate */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/pdf': string;
          };
        };
        /** @description A problem (RFC 9457) */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        504: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/patients/{patientId}/billing/estimates/{estimateId}/decision': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Approve or decline the current version with an electronic signature
     * @description The patient or their guardian: the version reviewed, the typed full name, the statement of intent and the ESIGN disclosure accepted. 412 when the version is no longer current or was already decided.
     */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          patientId: string;
          estimateId: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': components['schemas']['EstimateDecision'];
        };
      };
      responses: {
        /** @description Default Response */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              estimate: components['schemas']['Estimate'];
            };
          };
        };
        /** @description A problem (RFC 9457) */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        412: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        415: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        504: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/patients/{patientId}/billing/payment-plans': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Payment plans, newest first: total, instalments, what is paid and what comes next */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          patientId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              plans: components['schemas']['PaymentPlan'][];
            };
          };
        };
        /** @description A problem (RFC 9457) */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        504: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/patients/{patientId}/billing/payment-plans/{planId}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One payment plan with its schedule */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          patientId: string;
          planId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              plan: components['schemas']['PaymentPlan'];
            };
          };
        };
        /** @description A problem (RFC 9457) */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        504: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/staff/invitations': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Invitations of the clinic */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              invitations: components['schemas']['Invitation'][];
            };
          };
        };
        /** @description A problem (RFC 9457) */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        504: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    put?: never;
    /** Invite a patient or a guardian */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            /** Format: email */
            email: string;
            givenName: string;
            familyName: string;
            /** @enum {string} */
            kind: 'patient' | 'guardian';
            patientIds?: string[];
            /**
             * Format: date
             * @description A patient's date of birth, YYYY-MM-DD (not for a guardian)
             */
            dateOfBirth?: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              invitation: components['schemas']['Invitation'];
              welcomeEmailSent: boolean;
            };
          };
        };
        /** @description A problem (RFC 9457) */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        415: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        504: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/staff/invitations/{invitationId}/resend': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Resend an invitation */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          invitationId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              invitation: components['schemas']['Invitation'];
            };
          };
        };
        /** @description A problem (RFC 9457) */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        412: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        504: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/staff/invitations/{invitationId}/revoke': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Revoke an invitation */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          invitationId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              invitation: components['schemas']['Invitation'];
            };
          };
        };
        /** @description A problem (RFC 9457) */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        412: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        504: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/staff/users': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Portal users of the clinic */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              users: components['schemas']['PortalUser'][];
            };
          };
        };
        /** @description A problem (RFC 9457) */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        504: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/staff/patients': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * The clinic's patients, optionally those whose name or email starts with each word of `query`
     * @description A page may hold fewer patients than asked for while nextPageToken is not empty: follow it to the end.
     */
    get: {
      parameters: {
        query?: {
          /** @description Words of the name or email */
          query?: string;
          /** @description Only patients born that day (YYYY-MM-DD) */
          dateOfBirth?: string;
          /** @description Entries per page, 1 to 100; 50 when absent */
          pageSize?: string;
          /** @description The nextPageToken of the previous page */
          pageToken?: string;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              patients: components['schemas']['ClinicPatient'][];
              /** @description Empty on the last page */
              nextPageToken: string;
            };
          };
        };
        /** @description A problem (RFC 9457) */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        504: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/staff/patients/{patientId}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A patient of the clinic: name, email, account state and guardians (the record page's header) */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          patientId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              patient: components['schemas']['ClinicPatient'];
              guardians: {
                id: string;
                name: string;
                email: string;
                enabled: boolean;
              }[];
            };
          };
        };
        /** @description A problem (RFC 9457) */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        504: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/staff/guardians/{guardianId}/patients': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Let a guardian act for a patient */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          guardianId: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            /** Format: uuid */
            patientId: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              guardianId: string;
              patientIds: string[];
              /** @description False when the link was already so: nothing changed. */
              changed: boolean;
            };
          };
        };
        /** @description A problem (RFC 9457) */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        412: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        415: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        504: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/staff/guardians/{guardianId}/patients/{patientId}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /** Stop a guardian acting for a patient */
    delete: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          guardianId: string;
          patientId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              guardianId: string;
              patientIds: string[];
              /** @description False when the link was already so: nothing changed. */
              changed: boolean;
            };
          };
        };
        /** @description A problem (RFC 9457) */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        504: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/staff/organisation': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    /** Edit the clinic's profile */
    put: {
      parameters: {
        query?: never;
        header?: {
          /** @description The version you read (e.g. "3"): the change is refused when someone changed the resource meanwhile */
          'if-match'?: string;
        };
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            name: string;
            address?: {
              line1?: string;
              line2?: string;
              city?: string;
              region?: string;
              postalCode?: string;
              countryCode?: string;
            };
            phone?: string;
            phoneRegion?: string;
            email?: string;
            hours?: string[];
            welcomeMessage?: string;
            portalUrl?: string;
            timeZone?: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Organisation'];
          };
        };
        /** @description A problem (RFC 9457) */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        412: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        415: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        504: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/staff/organisation/handbook': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    /** Upload the client handbook (PDF body) */
    put: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Organisation'];
          };
        };
        /** @description A problem (RFC 9457) */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        415: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        504: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    post?: never;
    /** Remove the client handbook (Home's handbook card then goes) */
    delete: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Organisation'];
          };
        };
        /** @description A problem (RFC 9457) */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        504: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/staff/organisation/logo': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    /** Upload the logo (PNG, JPEG or SVG body) */
    put: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Organisation'];
          };
        };
        /** @description A problem (RFC 9457) */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        415: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        504: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    post?: never;
    /** Remove the logo (the clinic then shows none) */
    delete: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Organisation'];
          };
        };
        /** @description A problem (RFC 9457) */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        504: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/staff/patients/{patientId}/access-history': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Every access to a patient’s record, allowed or refused, newest first (staff of the patient’s clinic) */
    get: {
      parameters: {
        query?: {
          /** @description Entries per page, 1 to 100; 50 when absent */
          pageSize?: string;
          /** @description The nextPageToken of the previous page */
          pageToken?: string;
          /** @description Accesses at or after this instant */
          from?: string;
          /** @description Accesses before this instant */
          before?: string;
          actorId?: string;
        };
        header?: never;
        path: {
          patientId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              accesses: components['schemas']['RecordAccess'][];
              /** @description Empty on the last page */
              nextPageToken: string;
            };
          };
        };
        /** @description A problem (RFC 9457) */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        504: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/staff/patients/{patientId}/appointments': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Schedule an appointment for a patient
     * @description start and end are the clinic’s wall-clock time. Send an Idempotency-Key header to make retries safe: the same key returns the appointment the first request scheduled.
     */
    post: {
      parameters: {
        query?: never;
        header?: {
          'idempotency-key'?: string;
        };
        path: {
          patientId: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': components['schemas']['NewAppointment'];
        };
      };
      responses: {
        /** @description Default Response */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              appointment: components['schemas']['Appointment'];
            };
          };
        };
        /** @description A problem (RFC 9457) */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        412: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        415: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        504: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/staff/patients/{patientId}/appointments/past-visits': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Record a visit that already took place, with its outcome
     * @description For a visit never scheduled in Portico: entered afterwards, or the clinic’s history. It must have ended; the same overlap rules as scheduling hold; nobody is emailed. Idempotency-Key works as for scheduling.
     */
    post: {
      parameters: {
        query?: never;
        header?: {
          'idempotency-key'?: string;
        };
        path: {
          patientId: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': components['schemas']['PastVisit'];
        };
      };
      responses: {
        /** @description Default Response */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              appointment: components['schemas']['Appointment'];
            };
          };
        };
        /** @description A problem (RFC 9457) */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        412: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        415: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        504: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/staff/patients/{patientId}/appointments/{appointmentId}/reschedule': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Move an appointment to a new time
     * @description Send If-Match with the version you read (e.g. "3") to refuse the change when someone changed the appointment meanwhile.
     */
    post: {
      parameters: {
        query?: never;
        header?: {
          /** @description The version you read (e.g. "3"): the change is refused when someone changed the resource meanwhile */
          'if-match'?: string;
        };
        path: {
          patientId: string;
          appointmentId: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            /**
             * @description The clinic's wall-clock time (in its time zone), YYYY-MM-DDTHH:MM; stored in UTC
             * @example 2030-01-15T09:00
             */
            start: string;
            /**
             * @description The clinic's wall-clock time (in its time zone), YYYY-MM-DDTHH:MM; stored in UTC
             * @example 2030-01-15T09:50
             */
            end: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              appointment: components['schemas']['Appointment'];
            };
          };
        };
        /** @description A problem (RFC 9457) */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        412: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        415: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        504: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/staff/patients/{patientId}/appointments/{appointmentId}/cancel': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Cancel an appointment, with a reason (it stays listed, marked cancelled) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          patientId: string;
          appointmentId: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            /** @description Shown to the patient */
            reason: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              appointment: components['schemas']['Appointment'];
            };
          };
        };
        /** @description A problem (RFC 9457) */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        412: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        415: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        504: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/staff/patients/{patientId}/appointments/{appointmentId}/complete': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Mark an appointment that has started as completed
     * @description Send no body.
     */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          patientId: string;
          appointmentId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              appointment: components['schemas']['Appointment'];
            };
          };
        };
        /** @description A problem (RFC 9457) */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        412: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        504: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/staff/patients/{patientId}/appointments/{appointmentId}/no-show': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Mark an appointment that has started as a no-show: the patient did not come
     * @description Send no body.
     */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          patientId: string;
          appointmentId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              appointment: components['schemas']['Appointment'];
            };
          };
        };
        /** @description A problem (RFC 9457) */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        412: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        504: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/staff/clinicians/{clinicianId}/appointments': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A clinician’s appointments between two instants, by start time (day and week views) */
    get: {
      parameters: {
        query: {
          /** @description Appointments that end after this instant */
          from: string;
          /** @description and start before this one; at most 31 days after from */
          to: string;
        };
        header?: never;
        path: {
          clinicianId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              appointments: components['schemas']['Appointment'][];
            };
          };
        };
        /** @description A problem (RFC 9457) */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        504: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/staff/notification-settings': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The clinic’s email settings */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The clinic’s email settings */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ClinicNotificationSettings'];
          };
        };
        /** @description A problem (RFC 9457) */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        504: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    /** Change the clinic’s email settings */
    put: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': components['schemas']['ClinicNotificationSettings'];
        };
      };
      responses: {
        /** @description The clinic’s email settings */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ClinicNotificationSettings'];
          };
        };
        /** @description A problem (RFC 9457) */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        415: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        504: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/staff/insurance': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * The clinic’s coverages of every patient, latest change first
     * @description With the name of each patient the page names (`patients`), for the staff’s work list.
     */
    get: {
      parameters: {
        query?: {
          verification?: 'submitted' | 'verified' | 'needs_information';
          pageSize?: string;
          pageToken?: string;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              coverages: components['schemas']['Coverage'][];
              patients: {
                /** Format: uuid */
                id: string;
                name: string;
              }[];
              nextPageToken: string;
            };
          };
        };
        /** @description A problem (RFC 9457) */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        504: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/staff/patients/{patientId}/insurance/{coverageId}/history': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Who changed what on a coverage, oldest first */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          patientId: string;
          coverageId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              changes: components['schemas']['CoverageChange'][];
            };
          };
        };
        /** @description A problem (RFC 9457) */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        504: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/staff/patients/{patientId}/insurance/{coverageId}/verify': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** The clinic checked the coverage with the payer */
    post: {
      parameters: {
        query?: never;
        header?: {
          /** @description The version you read (e.g. "3"): the change is refused when someone changed the resource meanwhile */
          'if-match'?: string;
        };
        path: {
          patientId: string;
          coverageId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              coverage: components['schemas']['Coverage'];
            };
          };
        };
        /** @description A problem (RFC 9457) */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        412: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        415: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        504: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/staff/patients/{patientId}/insurance/{coverageId}/request-information': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Ask the patient for more information about a coverage */
    post: {
      parameters: {
        query?: never;
        header?: {
          /** @description The version you read (e.g. "3"): the change is refused when someone changed the resource meanwhile */
          'if-match'?: string;
        };
        path: {
          patientId: string;
          coverageId: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': components['schemas']['InformationRequest'];
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              coverage: components['schemas']['Coverage'];
            };
          };
        };
        /** @description A problem (RFC 9457) */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        412: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        415: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        504: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/staff/uploads': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Files the clinic’s patients sent, newest first, paged; received ones are waiting to be filed */
    get: {
      parameters: {
        query?: {
          status?: 'received' | 'filed';
          /** @description Entries per page, 1 to 100; 50 when absent */
          pageSize?: string;
          /** @description The nextPageToken of the previous page */
          pageToken?: string;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              uploads: components['schemas']['Upload'][];
              /** @description Empty on the last page */
              nextPageToken: string;
            };
          };
        };
        /** @description A problem (RFC 9457) */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        504: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/staff/patients/{patientId}/uploads/{uploadId}/filed': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Mark an upload filed (taken into the clinic’s record); filing it again changes nothing */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          patientId: string;
          uploadId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              upload: components['schemas']['Upload'];
            };
          };
        };
        /** @description A problem (RFC 9457) */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        504: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/staff/resources': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Share a link (an https address) with every patient of the clinic */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': components['schemas']['NewLinkResource'];
        };
      };
      responses: {
        /** @description Default Response */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              resource: components['schemas']['Resource'];
            };
          };
        };
        /** @description A problem (RFC 9457) */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        504: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/staff/patients/{patientId}/resources': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Share a link (an https address) with one patient of the clinic */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          patientId: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': components['schemas']['NewLinkResource'];
        };
      };
      responses: {
        /** @description Default Response */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              resource: components['schemas']['Resource'];
            };
          };
        };
        /** @description A problem (RFC 9457) */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        504: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/staff/patients/{patientId}/screenings': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Assign a PHQ-9 or GAD-7 to a patient of the clinic */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          patientId: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            /** @enum {string} */
            instrument: 'phq9' | 'gad7';
          };
        };
      };
      responses: {
        /** @description Default Response */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              screening: components['schemas']['Screening'];
            };
          };
        };
        /** @description A problem (RFC 9457) */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        504: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/staff/consent-templates': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The consent texts the clinic can assign, at their current versions */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              templates: components['schemas']['ConsentTemplate'][];
            };
          };
        };
        /** @description A problem (RFC 9457) */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        504: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/staff/patients/{patientId}/consents': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Assign a consent to a patient of the clinic; a release of information names one of their contacts */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          patientId: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            templateId: string;
            release?: {
              /** Format: uuid */
              contactId: string;
              scope: string;
              /** @description The last day the release holds (YYYY-MM-DD) */
              expiresOn: string;
            };
          };
        };
      };
      responses: {
        /** @description Default Response */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              consent: components['schemas']['Consent'];
            };
          };
        };
        /** @description A problem (RFC 9457) */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        504: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/staff/consents/verification': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Whether a PDF with this SHA-256 is a signed consent Portico produced for the clinic, unchanged */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            /** @description SHA-256 in hex */
            sha256: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ConsentVerification'];
          };
        };
        /** @description A problem (RFC 9457) */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        504: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/staff/forms/definitions': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The latest version of each of the clinic’s form definitions */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              definitions: components['schemas']['FormDefinition'][];
            };
          };
        };
        /** @description A problem (RFC 9457) */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        504: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/staff/forms/definitions/{key}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    /**
     * Publish a SurveyJS definition under a key: a changed one becomes the next version, the same one changes nothing
     * @description Forms already assigned keep the version they were assigned with.
     */
    put: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description The definition’s key, e.g. "intake" */
          key: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            /** @description The SurveyJS definition (JSON) */
            survey: {
              [key: string]: unknown;
            };
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              definition: components['schemas']['FormDefinition'];
            };
          };
        };
        /** @description A problem (RFC 9457) */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        504: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/staff/forms/definitions/{key}/offer': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Offer a survey to every patient of the clinic (Additional Surveys) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description The definition’s key, e.g. "intake" */
          key: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              definition: components['schemas']['FormDefinition'];
            };
          };
        };
        /** @description A problem (RFC 9457) */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        504: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/staff/patients/{patientId}/forms': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Assign the latest version of a form to a patient of the clinic */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          patientId: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            /** @description The definition’s key, e.g. "intake" */
            definitionKey: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              form: components['schemas']['Form'];
            };
          };
        };
        /** @description A problem (RFC 9457) */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        504: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/staff/patients/{patientId}/billing/invoices': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Issue an invoice to a patient
     * @description Send an Idempotency-Key header to make retries safe: the same key returns the invoice the first request issued.
     */
    post: {
      parameters: {
        query?: never;
        header?: {
          'idempotency-key'?: string;
        };
        path: {
          patientId: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': components['schemas']['NewInvoice'];
        };
      };
      responses: {
        /** @description Default Response */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              invoice: components['schemas']['Invoice'];
            };
          };
        };
        /** @description A problem (RFC 9457) */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        412: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        415: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        504: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/staff/patients/{patientId}/billing/payments': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Record a payment taken at the front desk
     * @description Applied oldest invoice first, or to the chosen invoices; not more than they owe. Idempotency-Key makes retries safe.
     */
    post: {
      parameters: {
        query?: never;
        header?: {
          'idempotency-key'?: string;
        };
        path: {
          patientId: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            amount: components['schemas']['MoneyInput'];
            /** @enum {string} */
            method: 'cash' | 'check' | 'card_terminal';
            invoiceIds?: string[];
            /** @description Cheque number or terminal reference */
            reference?: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              payment: components['schemas']['Payment'];
            };
          };
        };
        /** @description A problem (RFC 9457) */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        412: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        415: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        504: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/staff/patients/{patientId}/billing/invoices/{invoiceId}/adjustments': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Adjust an invoice (a write-off or a discount), at most what it owes */
    post: {
      parameters: {
        query?: never;
        header?: {
          'idempotency-key'?: string;
        };
        path: {
          patientId: string;
          invoiceId: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            amount: components['schemas']['MoneyInput'];
            reason: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              invoice: components['schemas']['Invoice'];
            };
          };
        };
        /** @description A problem (RFC 9457) */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        412: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        415: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        504: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/staff/patients/{patientId}/billing/payments/{paymentId}/refunds': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Refund part or all of a payment (online ones through the processor) */
    post: {
      parameters: {
        query?: never;
        header?: {
          'idempotency-key'?: string;
        };
        path: {
          patientId: string;
          paymentId: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            amount: components['schemas']['MoneyInput'];
            reason?: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              payment: components['schemas']['Payment'];
            };
          };
        };
        /** @description A problem (RFC 9457) */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        412: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        415: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        504: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/staff/patients/{patientId}/billing/superbills': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Make a super bill of chosen invoice lines
     * @description Refused (400) with every missing or wrong field listed when anything insurers ask for is missing: NPIs, tax id, provider, patient, diagnoses, places of service. Idempotency-Key makes retries safe.
     */
    post: {
      parameters: {
        query?: never;
        header?: {
          'idempotency-key'?: string;
        };
        path: {
          patientId: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': components['schemas']['NewSuperbill'];
        };
      };
      responses: {
        /** @description Default Response */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              superbill: components['schemas']['Superbill'];
            };
          };
        };
        /** @description A problem (RFC 9457) */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        412: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        415: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        504: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/staff/billing/payments': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Every payment of the clinic, newest first */
    get: {
      parameters: {
        query?: {
          /** @description Entries per page, 1 to 100; 50 when absent */
          pageSize?: string;
          /** @description The nextPageToken of the previous page */
          pageToken?: string;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              payments: components['schemas']['Payment'][];
              /** @description Empty on the last page */
              nextPageToken: string;
            };
          };
        };
        /** @description A problem (RFC 9457) */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        504: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/staff/patients/{patientId}/billing/estimates': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Issue a Good Faith Estimate to a patient
     * @description Refused (400) with every missing or wrong field listed: NPIs (check digit), codes, charges. Idempotency-Key makes retries safe.
     */
    post: {
      parameters: {
        query?: never;
        header?: {
          'idempotency-key'?: string;
        };
        path: {
          patientId: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': components['schemas']['NewEstimate'];
        };
      };
      responses: {
        /** @description Default Response */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              estimate: components['schemas']['Estimate'];
            };
          };
        };
        /** @description A problem (RFC 9457) */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        412: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        415: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        504: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/staff/patients/{patientId}/billing/estimates/{estimateId}/versions': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Reissue a Good Faith Estimate: a new version the patient sees (and decides) instead */
    post: {
      parameters: {
        query?: never;
        header?: {
          'idempotency-key'?: string;
        };
        path: {
          patientId: string;
          estimateId: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': components['schemas']['NewEstimate'];
        };
      };
      responses: {
        /** @description Default Response */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              estimate: components['schemas']['Estimate'];
            };
          };
        };
        /** @description A problem (RFC 9457) */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        412: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        415: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        504: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/staff/patients/{patientId}/billing/payment-plans/{planId}/cancel': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Cancel a payment plan
     * @description Send no body. The instalments not charged yet are never charged; what they would have covered is owed again at once, as one invoice due today. Instalments already charged stay owed. Cancelling a cancelled plan answers it as it is; a plan whose instalments are all charged answers 412.
     */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          patientId: string;
          planId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              plan: components['schemas']['PaymentPlan'];
            };
          };
        };
        /** @description A problem (RFC 9457) */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        412: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        504: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/staff/patients/{patientId}/billing/payment-plans': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Make a payment plan for a patient
     * @description The instalments add up exactly to the total; the cents that do not divide evenly go one each to the first instalments. Idempotency-Key makes retries safe.
     */
    post: {
      parameters: {
        query?: never;
        header?: {
          'idempotency-key'?: string;
        };
        path: {
          patientId: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': components['schemas']['NewPaymentPlan'];
        };
      };
      responses: {
        /** @description Default Response */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              plan: components['schemas']['PaymentPlan'];
            };
          };
        };
        /** @description A problem (RFC 9457) */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        412: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        415: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        504: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/staff/patients/{patientId}/documents': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Share a clinical document (a PDF) with a patient of the clinic
     * @description The body is the PDF, streamed; what it is goes in the query, its name in X-File-Name (URI-encoded).
     */
    post: {
      parameters: {
        query?: {
          kind?: 'note' | 'assessment' | 'treatment_plan';
          title?: string;
          /** @description YYYY-MM-DD, not in the future */
          documentDate?: string;
          author?: string;
        };
        header?: {
          /** @description The file’s name on the device, URI-encoded */
          'x-file-name'?: string;
          /** @description Required: the file’s size in bytes */
          'content-length'?: string;
        };
        path: {
          patientId: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/octet-stream': unknown;
        };
      };
      responses: {
        /** @description Default Response */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              document: components['schemas']['ClinicalDocument'];
            };
          };
        };
        /** @description A problem (RFC 9457) */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        411: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        504: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/staff/resources/file': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Share a file (PDF, image or Word document) with every patient of the clinic
     * @description The body is the file, streamed; its title and description go in the query, its name in X-File-Name (URI-encoded).
     */
    post: {
      parameters: {
        query?: {
          title?: string;
          description?: string;
        };
        header?: {
          /** @description The file’s name on the device, URI-encoded */
          'x-file-name'?: string;
          /** @description Required: the file’s size in bytes */
          'content-length'?: string;
        };
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/octet-stream': unknown;
        };
      };
      responses: {
        /** @description Default Response */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              resource: components['schemas']['Resource'];
            };
          };
        };
        /** @description A problem (RFC 9457) */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        411: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        504: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/staff/patients/{patientId}/resources/file': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Share a file (PDF, image or Word document) with one patient of the clinic
     * @description The body is the file, streamed; its title and description go in the query, its name in X-File-Name (URI-encoded).
     */
    post: {
      parameters: {
        query?: {
          title?: string;
          description?: string;
        };
        header?: {
          /** @description The file’s name on the device, URI-encoded */
          'x-file-name'?: string;
          /** @description Required: the file’s size in bytes */
          'content-length'?: string;
        };
        path: {
          patientId: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/octet-stream': unknown;
        };
      };
      responses: {
        /** @description Default Response */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              resource: components['schemas']['Resource'];
            };
          };
        };
        /** @description A problem (RFC 9457) */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        411: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        504: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/staff/consents/verification/pdf': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Whether this PDF (the body, application/pdf) is a signed consent Portico produced for the clinic, unchanged */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/pdf': unknown;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ConsentVerification'];
          };
        };
        /** @description A problem (RFC 9457) */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description A problem (RFC 9457) */
        504: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
};
export type webhooks = Record<string, never>;
export type components = {
  schemas: {
    /** @description An error, as application/problem+json (RFC 9457) */
    Problem: {
      /** @description Stable identifier of the kind of problem, e.g. /problems/not-found */
      type: string;
      title: string;
      status: number;
      detail?: string;
      instance?: string;
      requestId?: string;
      errors?: {
        field: string;
        message: string;
      }[];
    };
    Me: {
      user: {
        /** Format: uuid */
        id: string;
        username: string;
        name: string;
        email: string;
        /** @description patient, guardian or staff */
        roles: string[];
      };
      /** @description The patients this person may act for */
      patients: {
        /** Format: uuid */
        id: string;
        name: string;
      }[];
      actingFor: string | null;
      csrfToken: string | null;
    };
    Organisation: {
      name: string;
      address: {
        line1: string;
        line2: string;
        city: string;
        region: string;
        postalCode: string;
        countryCode: string;
      };
      phone: string;
      email: string;
      hours: string[];
      welcomeMessage: string;
      portalUrl: string;
      /** @description IANA time zone of the clinic, e.g. America/New_York */
      timeZone: string;
      hasLogo: boolean;
      hasHandbook: boolean;
      handbookFileName: string;
      version: number;
      updatedAt: string | null;
    };
    ContactInput: {
      name: string;
      /** @description In the patient’s words: mother, lawyer, school counsellor… */
      relationship?: string;
      /** @description International (+…) or national with phoneRegion; stored as E.164 */
      phone?: string;
      /** @description ISO 3166-1 alpha-2 region for a national phone number */
      phoneRegion?: string;
      /** Format: email */
      email?: string;
      address?: {
        line1?: string;
        line2?: string;
        city?: string;
        /** @description State, province or county */
        region?: string;
        postalCode?: string;
        /** @description ISO 3166-1 alpha-2 */
        countryCode?: string;
      };
      purposes: ('emergency' | 'release_of_information' | 'other')[];
      notes?: string;
    };
    Contact: {
      /** Format: uuid */
      id: string;
      /** Format: uuid */
      patientId: string;
      name: string;
      relationship?: string;
      phone?: string;
      email?: string;
      address?: {
        line1?: string;
        line2?: string;
        city?: string;
        /** @description State, province or county */
        region?: string;
        postalCode?: string;
        /** @description ISO 3166-1 alpha-2 */
        countryCode?: string;
      };
      purposes: ('emergency' | 'release_of_information' | 'other')[];
      notes?: string;
      /** @enum {string} */
      status: 'active' | 'inactive';
      version: number;
      /** Format: date-time */
      createdAt: string;
      /** Format: date-time */
      updatedAt: string;
    };
    Invitation: {
      id: string;
      userId: string;
      email: string;
      name: string;
      givenName: string;
      familyName: string;
      /** @enum {string} */
      kind: 'patient' | 'guardian' | 'staff' | 'unknown';
      patientIds: string[];
      /** @enum {string} */
      status: 'pending' | 'accepted' | 'revoked' | 'expired' | 'unknown';
      /** @description The name of the staff member who sent it */
      invitedBy: string;
      createdAt: string | null;
      expiresAt: string | null;
      emailSentAt: string | null;
    };
    PortalUser: {
      id: string;
      username: string;
      email: string;
      name: string;
      /** @enum {string} */
      kind: 'patient' | 'guardian' | 'staff' | 'unknown';
      roles: string[];
      patientIds: string[];
      enabled: boolean;
      invitationStatus: string | null;
      invitationId: string | null;
    };
    ClinicPatient: {
      id: string;
      /** @description Given and family name */
      name: string;
      givenName: string;
      familyName: string;
      email: string;
      /** @description False when the account is disabled (an invitation revoked or expired) */
      enabled: boolean;
      invitationStatus: ('pending' | 'accepted' | 'revoked' | 'expired') | null;
      dateOfBirth: string | null;
    };
    /** @description One access to a patient’s record, or one refused attempt */
    RecordAccess: {
      /** @description The audit event id: one entry per event */
      id: string;
      actor: {
        /** @description The user id of the person who acted */
        id: string;
        /**
         * @description The role they acted in
         * @enum {string}
         */
        role: 'patient' | 'guardian' | 'staff' | 'service' | 'unknown';
        clinicId: string;
      };
      patientId: string;
      /** @description What was done, e.g. contacts.list */
      action: string;
      resourceType: string;
      resourceId: string;
      /** @enum {string} */
      outcome: 'allowed' | 'refused';
      /** Format: date-time */
      occurredAt: string;
      /** @description The client address the gateway saw */
      sourceIp: string;
      requestId: string;
    };
    /** @description One time someone opened or changed the patient’s record */
    RecordOpening: {
      actor: {
        /** @description The user id of the person who acted */
        id: string;
        /**
         * @description The role they acted in
         * @enum {string}
         */
        role: 'patient' | 'guardian' | 'staff' | 'service' | 'unknown';
        clinicId: string;
      };
      action: string;
      resourceType: string;
      /** Format: date-time */
      occurredAt: string;
    };
    /** @description A visit with a clinician; times are UTC, shown in timeZone */
    Appointment: {
      /** Format: uuid */
      id: string;
      /** Format: uuid */
      patientId: string;
      clinicianId: string;
      /** @description As it was when the appointment was scheduled, e.g. "Dr Alex Morgan" */
      clinicianName: string;
      /** @description In the clinic’s words: "Individual therapy, 50 min" */
      serviceType: string;
      /** Format: date-time */
      startsAt: string;
      /** Format: date-time */
      endsAt: string;
      /** @description The clinic’s IANA time zone: show startsAt and endsAt in it */
      timeZone: string;
      /** @enum {string} */
      mode: 'in_person' | 'telehealth';
      /** @description In person: where; empty for telehealth */
      location: string;
      noteForPatient: string;
      /** @enum {string} */
      status: 'scheduled' | 'cancelled' | 'completed' | 'no_show';
      /** @description Empty unless cancelled */
      cancellationReason: string;
      telehealthOpensAt: string | null;
      /** @description The join window is open now: POST …/join gives the meeting link */
      canJoinNow: boolean;
      /** @description Send it as If-Match when rescheduling */
      version: number;
      /** @description The iCalendar SEQUENCE: grows with every reschedule and cancellation */
      sequence: number;
      /** Format: date-time */
      createdAt: string;
      /** Format: date-time */
      updatedAt: string;
    };
    /** @description A visit to schedule: it starts in the future */
    NewAppointment: {
      /**
       * Format: uuid
       * @description A staff member of the clinic (user id)
       */
      clinicianId: string;
      serviceType: string;
      /** @enum {string} */
      mode: 'in_person' | 'telehealth';
      /** @description In person: where (required then) */
      location?: string;
      /** @description Telehealth: the https meeting link (required then); handed out only inside the join window */
      meetingUrl?: string;
      /** @description Shown to the patient on the portal; never in emails or calendar feeds */
      noteForPatient?: string;
      /**
       * @description The clinic's wall-clock time (in its time zone), YYYY-MM-DDTHH:MM; stored in UTC
       * @example 2030-01-15T09:00
       */
      start: string;
      /**
       * @description The clinic's wall-clock time (in its time zone), YYYY-MM-DDTHH:MM; stored in UTC
       * @example 2030-01-15T09:50
       */
      end: string;
    };
    /** @description A visit that already took place but was never scheduled in Portico (entered afterwards, or the clinic’s history) */
    PastVisit: {
      /**
       * Format: uuid
       * @description A staff member of the clinic (user id)
       */
      clinicianId: string;
      serviceType: string;
      /** @enum {string} */
      mode: 'in_person' | 'telehealth';
      /** @description In person: where (required then) */
      location?: string;
      /** @description Telehealth: the https meeting link (required then); handed out only inside the join window */
      meetingUrl?: string;
      /** @description Shown to the patient on the portal; never in emails or calendar feeds */
      noteForPatient?: string;
      /**
       * @description The clinic's wall-clock time (in its time zone), YYYY-MM-DDTHH:MM; stored in UTC
       * @example 2024-01-15T09:00
       */
      start: string;
      /**
       * @description The clinic's wall-clock time (in its time zone), YYYY-MM-DDTHH:MM; stored in UTC
       * @example 2024-01-15T09:50
       */
      end: string;
      /**
       * @description How it went
       * @enum {string}
       */
      outcome: 'completed' | 'no_show';
    };
    /** @description A new private calendar feed address; the one before stops working */
    CalendarFeed: {
      /**
       * Format: uri
       * @description The private address to subscribe to; shown this once
       */
      feedUrl: string;
      /** @description The same address with the webcal: scheme, which opens calendar programs */
      webcalUrl: string;
      /** Format: date-time */
      createdAt: string;
    };
    /** @description Whether the patient has a feed address, and since when (never the address) */
    CalendarFeedStatus: {
      active: boolean;
      createdAt: string | null;
    };
    /** @description An amount: integer minor units with its ISO currency, never a float */
    Money: {
      /** @description In the currency’s minor unit (cents for USD) */
      amountMinor: number;
      /**
       * @description ISO 4217
       * @example USD
       */
      currency: string;
    };
    /** @description An amount to take or give back: whole minor units, more than zero */
    MoneyInput: {
      /** @description Whole minor units (cents), more than zero */
      amountMinor: number;
      /**
       * @description ISO 4217
       * @example USD
       */
      currency: string;
    };
    /** @description An invoice; paid and due are derived from the ledger: total = paid + adjusted (the clinic’s adjustments) + movedToPaymentPlan (what payment plans took over) + due */
    Invoice: {
      /** Format: uuid */
      id: string;
      /** Format: uuid */
      patientId: string;
      /** @example INV-2026-1A2B3C4D */
      number: string;
      /** Format: date-time */
      issuedAt: string;
      /**
       * @description A calendar date, YYYY-MM-DD
       * @example 2026-11-20
       */
      dueOn: string;
      /**
       * @description overdue: something is due after dueOn
       * @enum {string}
       */
      status: 'open' | 'overdue' | 'paid';
      lines: {
        /**
         * @description A calendar date, YYYY-MM-DD
         * @example 2026-11-20
         */
        dateOfService: string;
        /** @description CPT or HCPCS */
        procedureCode: string;
        modifiers: string[];
        description: string;
        units: number;
        unitPrice: components['schemas']['Money'];
        amount: components['schemas']['Money'];
        paid: components['schemas']['Money'];
        due: components['schemas']['Money'];
        /** @description The rendering provider’s NPI; empty when not given */
        renderingProviderNpi: string;
        /** @description The Good Faith Estimate the service was estimated on; empty when none */
        estimateId: string;
      }[];
      total: components['schemas']['Money'];
      paid: components['schemas']['Money'];
      adjusted: components['schemas']['Money'];
      due: components['schemas']['Money'];
      movedToPaymentPlan: components['schemas']['Money'];
    };
    /** @description A payment and the invoices it settled */
    Payment: {
      /** Format: uuid */
      id: string;
      /** Format: uuid */
      patientId: string;
      /** @example RCT-2026-1A2B3C4D */
      receiptNumber: string;
      /** Format: date-time */
      receivedAt: string;
      amount: components['schemas']['Money'];
      /** @enum {string} */
      method: 'card_online' | 'cash' | 'check' | 'card_terminal';
      /**
       * @description pending: the processor has not answered yet; it is reconciled
       * @enum {string}
       */
      status: 'pending' | 'succeeded' | 'failed';
      allocations: {
        /** Format: uuid */
        invoiceId: string;
        invoiceNumber: string;
        amount: components['schemas']['Money'];
      }[];
      refunded: components['schemas']['Money'];
      /** @description Why the card was declined; empty otherwise */
      failureReason: string;
      /** @description Card’s last four digits or cheque number, when known */
      reference: string;
    };
    /** @description The payment summary of the Billing page */
    BillingSummary: {
      balance: components['schemas']['Money'];
      overdue: components['schemas']['Money'];
      outstandingInvoices: number;
      lastPayment: components['schemas']['Payment'] | null;
      /** @description The next payment-plan instalment, if any */
      nextInstalment: components['schemas']['NextInstalment'] | null;
    };
    NewPayment: {
      /**
       * @description What to pay
       * @enum {string}
       */
      pay: 'whole_balance' | 'invoices' | 'amount';
      /** @description pay=invoices: what they owe */
      invoiceIds?: string[];
      amount?: components['schemas']['MoneyInput'];
      /** @description The card as the processor tokenised it in the browser (Stripe PaymentMethod id, or the sandbox’s token); never card data */
      paymentMethodToken: string;
    };
    NewInvoice: {
      /**
       * @description A calendar date, YYYY-MM-DD
       * @example 2026-11-20
       */
      dueOn?: string;
      lines: {
        /**
         * @description A calendar date, YYYY-MM-DD
         * @example 2026-11-20
         */
        dateOfService: string;
        /**
         * @description CPT or HCPCS code
         * @example 90834
         */
        procedureCode: string;
        modifiers?: string[];
        description: string;
        units: number;
        unitPrice: components['schemas']['MoneyInput'];
        /** @description The rendering provider’s NPI */
        renderingProviderNpi?: string;
        /**
         * Format: uuid
         * @description The Good Faith Estimate it was estimated on (needs renderingProviderNpi): its $400 rule
         */
        estimateId?: string;
      }[];
    };
    /** @description One month of the ledger: newBalance = previousBalance + charges − payments − adjustments (the clinic’s own) − movedToPaymentPlans (what payment plans took over) + refunds */
    Statement: {
      /** @description YYYY-MM, in the clinic’s zone */
      month: string;
      previousBalance: components['schemas']['Money'];
      charges: components['schemas']['Money'];
      payments: components['schemas']['Money'];
      adjustments: components['schemas']['Money'];
      movedToPaymentPlans: components['schemas']['Money'];
      refunds: components['schemas']['Money'];
      newBalance: components['schemas']['Money'];
    };
    /** @description A superbill for out-of-network reimbursement */
    Superbill: {
      /** Format: uuid */
      id: string;
      /** Format: uuid */
      patientId: string;
      /** Format: date-time */
      createdAt: string;
      /**
       * @description A calendar date, YYYY-MM-DD
       * @example 2026-11-20
       */
      firstDateOfService: string;
      /**
       * @description A calendar date, YYYY-MM-DD
       * @example 2026-11-20
       */
      lastDateOfService: string;
      /** @description ICD-10-CM; pointers A, B, … in this order */
      diagnosisCodes: string[];
      lines: {
        /**
         * @description A calendar date, YYYY-MM-DD
         * @example 2026-11-20
         */
        dateOfService: string;
        placeOfService: string;
        procedureCode: string;
        modifiers: string[];
        diagnosisPointers: string;
        units: number;
        charge: components['schemas']['Money'];
        paid: components['schemas']['Money'];
      }[];
      totalCharges: components['schemas']['Money'];
      totalPaid: components['schemas']['Money'];
    };
    NewSuperbill: {
      /** @description Every field but memberId is required; the billing service lists what is missing */
      parties: {
        clinicNpi: string;
        clinicTaxId: string;
        providerName: string;
        providerCredentials: string;
        providerLicence: string;
        providerNpi: string;
        patientName: string;
        patientDateOfBirth: string;
        memberId?: string;
      };
      /** @description ICD-10-CM, e.g. F41.1 */
      diagnosisCodes: string[];
      lines: {
        /** Format: uuid */
        invoiceId: string;
        lineIndex: number;
        /** @description 11 office, 02/10 telehealth */
        placeOfService: string;
        /** @description Letters of diagnosisCodes, e.g. AB */
        diagnosisPointers: string;
      }[];
    };
    /** @description A Good Faith Estimate (45 CFR 149.610); the disclaimers and dispute instructions are added by the service */
    NewEstimate: {
      patientName: string;
      /** @description YYYY-MM-DD */
      patientDateOfBirth: string;
      primaryService: string;
      /** @description YYYY-MM-DD */
      primaryServiceDate: string;
      providers: {
        name: string;
        /** @description National Provider Identifier: ten digits with a check digit */
        npi: string;
        /** @description TIN (EIN), e.g. 12-3456789 */
        taxId: string;
        location: {
          line1: string;
          line2?: string;
          city: string;
          /** @description State */
          region: string;
          postalCode: string;
          /** @description ISO 3166-1 alpha-2 */
          countryCode: string;
        };
      }[];
      items: {
        /** @description One of the providers’ NPIs */
        providerNpi: string;
        /** @description CPT or HCPCS */
        serviceCode: string;
        modifiers?: string[];
        description: string;
        /** @description ICD-10-CM, e.g. F41.1 */
        diagnosisCodes: string[];
        units: number;
        unitCharge: components['schemas']['MoneyInput'];
      }[];
    };
    /** @description A Good Faith Estimate, its current version */
    Estimate: {
      /** Format: uuid */
      id: string;
      /** Format: uuid */
      patientId: string;
      /** @description The current version; reissuing adds one */
      version: number;
      /** Format: date-time */
      issuedAt: string;
      clinicName: string;
      patientName: string;
      /**
       * @description A calendar date, YYYY-MM-DD
       * @example 2026-11-20
       */
      patientDateOfBirth: string;
      primaryService: string;
      /**
       * @description A calendar date, YYYY-MM-DD
       * @example 2026-11-20
       */
      primaryServiceDate: string;
      providers: {
        name: string;
        npi: string;
        taxId: string;
        location: {
          line1: string;
          line2: string;
          city: string;
          region: string;
          postalCode: string;
          countryCode: string;
        };
      }[];
      items: {
        providerNpi: string;
        serviceCode: string;
        modifiers: string[];
        description: string;
        diagnosisCodes: string[];
        units: number;
        unitCharge: components['schemas']['Money'];
        charge: components['schemas']['Money'];
      }[];
      providerTotals: {
        providerNpi: string;
        estimated: components['schemas']['Money'];
        billed: components['schemas']['Money'];
      }[];
      total: components['schemas']['Money'];
      disclaimers: string[];
      disputeInstructions: string;
      /** @description SHA-256 of this version: what a signature covers */
      contentSha256: string;
      /** @enum {string} */
      status: 'awaiting_decision' | 'approved' | 'declined';
      decision: {
        /** @enum {string} */
        decision: 'approve' | 'decline';
        version: number;
        /** Format: date-time */
        decidedAt: string;
        typedName: string;
        intentStatement: string;
        /** @description patient or guardian */
        actingAs: string;
        disclosureVersion: string;
        signedContentSha256: string;
      } | null;
      /** @description Providers whose billed charges exceed their estimate by $400 or more: the patient may dispute by disputeDeadline */
      exceeded: {
        providerNpi: string;
        estimated: components['schemas']['Money'];
        billed: components['schemas']['Money'];
        excess: components['schemas']['Money'];
        /**
         * @description A calendar date, YYYY-MM-DD
         * @example 2026-11-20
         */
        billDate: string;
        /**
         * @description A calendar date, YYYY-MM-DD
         * @example 2026-11-20
         */
        disputeDeadline: string;
        invoiceIds: string[];
      }[];
    };
    EstimateDecision: {
      /** @description The version reviewed */
      version: number;
      /** @enum {string} */
      decision: 'approve' | 'decline';
      /** @description The signer’s full name, typed */
      typedName: string;
      /** @description "I approve this estimate" or "I decline this estimate" */
      intentStatement: string;
      disclosureVersion: string;
      disclosureAccepted: boolean;
    };
    /** @description One instalment of a payment plan */
    Instalment: {
      number: number;
      /** @description YYYY-MM-DD in the clinic’s zone: the day it becomes a charge */
      dueOn: string;
      amount: components['schemas']['Money'];
      paid: components['schemas']['Money'];
      remaining: components['schemas']['Money'];
      /**
       * @description scheduled: its date has not come; due/overdue/paid once it is charged; cancelled: never charged (the plan was cancelled)
       * @enum {string}
       */
      status: 'scheduled' | 'due' | 'overdue' | 'paid' | 'cancelled';
      /** @description The invoice it became on its date; empty before */
      invoiceId: string;
    };
    /** @description A payment plan: what is paid is read from the instalments’ invoices */
    PaymentPlan: {
      /** Format: uuid */
      id: string;
      /** Format: uuid */
      patientId: string;
      /** @example PLAN-2026-1A2B3C4D */
      number: string;
      /** Format: date-time */
      createdAt: string;
      /** @enum {string} */
      frequency: 'weekly' | 'every_two_weeks' | 'monthly';
      /** @enum {string} */
      status: 'active' | 'completed' | 'cancelled';
      total: components['schemas']['Money'];
      paid: components['schemas']['Money'];
      remaining: components['schemas']['Money'];
      instalments: components['schemas']['Instalment'][];
      nextInstalment: components['schemas']['Instalment'] | null;
      /** @description The invoices whose amounts the plan took over */
      covers: {
        /** Format: uuid */
        invoiceId: string;
        invoiceNumber: string;
        amount: components['schemas']['Money'];
      }[];
      cancellation: {
        /** Format: date-time */
        cancelledAt: string;
        returnedToBalance: components['schemas']['Money'];
        /** @description The invoice that charges what went back onto the balance; empty when nothing did */
        remainderInvoiceId: string;
        remainderInvoiceNumber: string;
      } | null;
    };
    /** @description The earliest instalment not paid yet across the patient’s plans */
    NextInstalment: {
      /** Format: uuid */
      planId: string;
      planNumber: string;
      instalment: components['schemas']['Instalment'];
    };
    /** @description invoiceIds: all they owe (or amount of it); amount alone: that much of the balance, oldest invoice first; neither: the whole balance */
    NewPaymentPlan: {
      /** @description Chosen outstanding invoices */
      invoiceIds?: string[];
      amount?: components['schemas']['MoneyInput'];
      /** @example 3 */
      instalmentCount: number;
      /** @enum {string} */
      frequency: 'weekly' | 'every_two_weeks' | 'monthly';
      /**
       * @description A calendar date, YYYY-MM-DD
       * @example 2026-12-15
       */
      firstDueOn: string;
    };
    /** @description The emails the logged-in person wants */
    NotificationPreferences: {
      /** @description Scheduled, rescheduled, cancelled and reminder emails; on unless turned off */
      appointmentEmails: boolean;
    };
    /** @description The clinic’s email settings */
    ClinicNotificationSettings: {
      /** @description How long before an appointment its reminder goes out; 24 unless set */
      reminderLeadHours: number;
    };
    CoverageInput: {
      /** @description The insurance company */
      payerName: string;
      planName?: string;
      /** @enum {string} */
      planType: 'hmo' | 'ppo' | 'epo' | 'pos' | 'hdhp' | 'medicare' | 'medicaid' | 'other';
      memberId: string;
      groupNumber?: string;
      subscriber: {
        /**
         * @description self when the patient holds the policy
         * @enum {string}
         */
        relationship: 'self' | 'parent' | 'guardian' | 'spouse' | 'other';
        /** @description Required unless the relationship is self */
        name?: string;
        dateOfBirth?: '' | string;
      };
      /** @enum {string} */
      priority: 'primary' | 'secondary' | 'tertiary';
      /**
       * @description The first day of cover (YYYY-MM-DD)
       * @example 2026-01-01
       */
      effectiveDate: string;
      endDate?: '' | string;
      copay?: {
        /** @description In the currency’s minor unit: 2500 is $25.00 */
        amountMinor: number;
        /**
         * @description ISO 4217, e.g. USD
         * @example USD
         */
        currencyCode: string;
      };
    };
    Coverage: {
      /** Format: uuid */
      id: string;
      /** Format: uuid */
      patientId: string;
      payerName: string;
      planName: string;
      /** @enum {string} */
      planType: 'hmo' | 'ppo' | 'epo' | 'pos' | 'hdhp' | 'medicare' | 'medicaid' | 'other';
      memberId: string;
      groupNumber: string;
      subscriber: {
        /** @enum {string} */
        relationship: 'self' | 'parent' | 'guardian' | 'spouse' | 'other';
        name: string;
        dateOfBirth: string;
      };
      /** @enum {string} */
      priority: 'primary' | 'secondary' | 'tertiary';
      effectiveDate: string;
      /** @description Empty: until further notice */
      endDate: string;
      copay?: {
        /** @description In the currency’s minor unit: 2500 is $25.00 */
        amountMinor: number;
        /**
         * @description ISO 4217, e.g. USD
         * @example USD
         */
        currencyCode: string;
      };
      /** @enum {string} */
      status: 'active' | 'inactive';
      /**
       * @description submitted until the clinic verifies it or asks for more information
       * @enum {string}
       */
      verification: 'submitted' | 'verified' | 'needs_information';
      /** @description What the clinic asked for, while verification is needs_information */
      informationRequest: string;
      /** @description The end date has passed */
      ended: boolean;
      frontPhoto?: {
        contentType: string;
        sizeBytes: number;
        /** Format: date-time */
        uploadedAt: string;
      };
      backPhoto?: {
        contentType: string;
        sizeBytes: number;
        /** Format: date-time */
        uploadedAt: string;
      };
      version: number;
      /** Format: date-time */
      createdAt: string;
      /** Format: date-time */
      updatedAt: string;
    };
    CoverageChange: {
      /** Format: date-time */
      at: string;
      actorId: string;
      actorName: string;
      actorRole: string;
      /** @enum {string} */
      action: 'added' | 'updated' | 'deactivated' | 'verified' | 'information_requested';
      changedFields: string[];
      message: string;
    };
    InformationRequest: {
      /** @description What the clinic needs; shown to the patient */
      message: string;
    };
    StoredFile: {
      /** @description Sanitised: no path or control characters, the extension of its real type */
      fileName: string;
      /** @description Decided from the bytes, not the name */
      contentType: string;
      sizeBytes: number;
      /** @description Hex SHA-256 of the bytes as received */
      sha256: string;
    };
    /** @description A note, assessment or treatment plan the clinic shared with the patient */
    ClinicalDocument: {
      /** Format: uuid */
      id: string;
      /** Format: uuid */
      patientId: string;
      /** @enum {string} */
      kind: 'note' | 'assessment' | 'treatment_plan';
      title: string;
      /** Format: date */
      documentDate: string;
      author: string;
      file: components['schemas']['StoredFile'];
      /** Format: date-time */
      sharedAt: string;
      openedAt: string | null;
      /** @description Not yet opened by the patient or a guardian */
      isNew: boolean;
    };
    /** @description An educational resource: a file or a link */
    Resource: {
      /** Format: uuid */
      id: string;
      /**
       * @description patient: this patient only; clinic: every patient of the clinic
       * @enum {string}
       */
      audience: 'patient' | 'clinic';
      /** @description Empty when shared with every patient */
      patientId: string;
      title: string;
      description: string;
      /** @description A link (https), or empty when the resource is a file */
      linkUrl: string;
      file: components['schemas']['StoredFile'] | null;
      /** Format: date-time */
      sharedAt: string;
    };
    /** @description A file the patient or a guardian sent to the clinic */
    Upload: {
      /** Format: uuid */
      id: string;
      /** Format: uuid */
      patientId: string;
      file: components['schemas']['StoredFile'];
      /**
       * @description received: waiting for the clinic; filed: taken into the record
       * @enum {string}
       */
      status: 'received' | 'filed';
      /** Format: date-time */
      uploadedAt: string;
      filedAt: string | null;
    };
    NewLinkResource: {
      title: string;
      description?: string;
      /** @description An https:// address */
      linkUrl: string;
    };
    /** @description A PHQ-9 or GAD-7 assigned to the patient; its result once completed */
    Screening: {
      /** Format: uuid */
      id: string;
      /** Format: uuid */
      patientId: string;
      /**
       * @description phq9: PHQ-9 (depression, 0–27); gad7: GAD-7 (anxiety, 0–21)
       * @enum {string}
       */
      instrument: 'phq9' | 'gad7';
      /** Format: date-time */
      assignedAt: string;
      result: {
        score: number;
        maxScore: number;
        /**
         * @description The severity band of the score
         * @enum {string}
         */
        severity: 'minimal' | 'mild' | 'moderate' | 'moderately_severe' | 'severe';
        /** @description A PHQ-9 item 9 answered above zero: show crisis resources at once */
        needsAttention: boolean;
        /** Format: date-time */
        completedAt: string;
      } | null;
    };
    /** @description A completed screening of the same instrument */
    ScreeningTrendPoint: {
      /** Format: uuid */
      screeningId: string;
      score: number;
      /**
       * @description The severity band of the score
       * @enum {string}
       */
      severity: 'minimal' | 'mild' | 'moderate' | 'moderately_severe' | 'severe';
      /** Format: date-time */
      completedAt: string;
    };
    /** @description The instrument’s items and the answer choices every item offers */
    ScreeningQuestionnaire: {
      title: string;
      question: string;
      items: string[];
      choices: {
        value: number;
        label: string;
      }[];
    };
    ScreeningAnswers: {
      /** @description One per item, in order, each 0 to 3 */
      answers: number[];
    };
    /** @description A consent assigned to the patient: outstanding until the patient or a guardian signs it */
    Consent: {
      /** Format: uuid */
      id: string;
      /** Format: uuid */
      patientId: string;
      templateId: string;
      templateVersion: number;
      /** @enum {string} */
      kind: 'treatment' | 'release_of_information' | 'telehealth' | 'financial_policy' | 'other';
      title: string;
      /**
       * @description outstanding: waiting for a signature (counted in the badge)
       * @enum {string}
       */
      state: 'outstanding' | 'signed';
      /** Format: date-time */
      assignedAt: string;
      signedAt: string | null;
      /** @description SHA-256 of the exact text assigned, the version signed */
      textSha256: string;
      release: {
        /** Format: uuid */
        contactId: string;
        scope: string;
        expiresOn: string;
        /**
         * @description pending until signed; expired the day after its expiry date
         * @enum {string}
         */
        state: 'pending' | 'active' | 'revoked' | 'expired';
        revokedAt: string | null;
      } | null;
      /** @description The typed full name, once signed */
      signedByName: string;
      /** @description typed-name or typed-name-and-drawing, once signed */
      signatureMethod: string;
      /** @description SHA-256 of the signed PDF, once signed */
      signedPdfSha256: string;
    };
    /** @description A consent text the clinic can assign, at its current version */
    ConsentTemplate: {
      id: string;
      version: number;
      /** @enum {string} */
      kind: 'treatment' | 'release_of_information' | 'telehealth' | 'financial_policy' | 'other';
      title: string;
      text: string;
    };
    /** @description The ESIGN Act §7001(c) disclosure a signer accepts before signing electronically */
    ElectronicRecordsDisclosure: {
      version: string;
      title: string;
      sections: {
        heading: string;
        body: string;
      }[];
    };
    ConsentSignature: {
      /** @description The signer’s full name, typed: alone it is a complete signature */
      typedName: string;
      drawing?: {
        strokes: {
          points: {
            x: number;
            y: number;
            time: number;
            pressure?: number;
          }[];
          penColor?: string;
        }[];
        /** @description The drawing as a PNG, base64 or a data: address */
        imagePng: string;
      };
    };
    ConsentVerification: {
      /** @description True when Portico produced this PDF for the clinic and not a byte of it changed */
      genuine: boolean;
      sha256: string;
      consentId: string | null;
      patientId: string | null;
      title: string | null;
      signedAt: string | null;
    };
    /** @description A form or survey of the patient, with its state */
    Form: {
      /** Format: uuid */
      id: string;
      /** Format: uuid */
      patientId: string;
      definitionKey: string;
      /** @description The version it was assigned with */
      definitionVersion: number;
      title: string;
      /**
       * @description to_do: nothing saved; draft: answers saved, not submitted; submitted: read-only
       * @enum {string}
       */
      state: 'to_do' | 'draft' | 'submitted';
      /** @description Started by the patient from Additional Surveys */
      optional: boolean;
      /** @description Name it when saving: a save from an older revision is refused (412) */
      revision: number;
      /** Format: date-time */
      assignedAt: string;
      draftSavedAt: string | null;
      submittedAt: string | null;
    };
    /** @description The latest version of one of the clinic’s form definitions */
    FormDefinition: {
      key: string;
      version: number;
      title: string;
      /** Format: date-time */
      publishedAt: string;
      /** @description Offered to every patient of the clinic (Additional Surveys) */
      offered: boolean;
    };
    /** @description An optional survey the clinic offers to all its patients */
    OfferedSurvey: {
      definitionKey: string;
      title: string;
      /** Format: date-time */
      offeredAt: string;
      form: components['schemas']['Form'] | null;
    };
    FormAnswers: {
      /** @description The answers so far, by question name */
      answers: {
        [key: string]: unknown;
      };
      /** @description The form’s revision the answers were made from */
      revision: number;
    };
  };
  responses: never;
  parameters: never;
  requestBodies: never;
  headers: never;
  pathItems: never;
};
export type $defs = Record<string, never>;
export type operations = Record<string, never>;

// The slice of core/v1 Endpoints the Knative models read, in the API's JSON field names, so raw
// objects from the in-memory API server fit without conversion. Extra fields ride along untouched.

export interface EndpointAddress {
  ip: string;
  [field: string]: unknown;
}

export interface EndpointPort {
  name?: string;
  port: number;
  protocol?: string;
  [field: string]: unknown;
}

export interface EndpointSubset {
  addresses?: EndpointAddress[];
  notReadyAddresses?: EndpointAddress[];
  ports?: EndpointPort[];
  [field: string]: unknown;
}

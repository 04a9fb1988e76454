// dcmjs ships no type declarations; we use a few corners of it and type them where used.
declare module 'dcmjs' {
  const dcmjs: any;
  export default dcmjs;
}
